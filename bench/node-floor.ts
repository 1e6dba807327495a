/**
 * The least a Node.js process does to answer anything about a cluster: start, load
 * node:https, verify the API server's certificate, send one GET for the namespace's Services
 * and parse the JSON. `npm run bench:peers` times it beside svclint and the Go peers: what
 * no Node.js doctor can go below, whatever it reads.
 *
 *   node dist/bench/node-floor.js KUBECONFIG NAMESPACE
 *
 * Reads only the simple kubeconfig the bench writes (server, certificate-authority, token).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const [kubeconfig, namespace] = process.argv.slice(2);
const text = readFileSync(kubeconfig!, 'utf8');
const field = (name: string): string | undefined => new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
const server = new URL(field('server')!);
const ca = field('certificate-authority');
const token = field('token');
const req = request(
  {
    host: server.hostname,
    port: server.port,
    path: `/api/v1/namespaces/${namespace}/services`,
    ...(ca ? { ca: readFileSync(ca) } : { rejectUnauthorized: false }),
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  },
  (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items?: unknown[] };
      console.log(`${res.statusCode}: ${list.items?.length ?? 0} Services`);
    });
  },
);
req.on('error', (err) => {
  console.error(err.message);
  process.exitCode = 2;
});
req.end();
