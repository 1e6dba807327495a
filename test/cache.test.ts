import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, corpusOrSkip, CORPUS, ROOT, tempTree } from './helpers.js';
import { cacheDir, CACHE_FILE, DEFER_MIN_CHARS, ParseCache, parseAllCached } from '../src/load/cache.js';
import { parseAll } from '../src/load/parse-pool.js';
import { lint } from '../src/lint.js';

const xdg = () => mkdtempSync(path.join(tmpdir(), 'svclint-xdg-'));
const cacheFile = (home: string) => path.join(home, 'svclint', CACHE_FILE);

/** Findings as JSON, without the timing-free parts that differ between runs (none expected). */
function lintJson(args: string[], env: Record<string, string | undefined>, cwd = ROOT) {
  const r = cli([...args, '-f', 'json'], { env, cwd });
  expect(r.stderr).toBe('');
  return { code: r.code, out: r.stdout };
}

describe('the parse cache (--cache)', () => {
  it('lives in $XDG_CACHE_HOME/svclint, else ~/.cache/svclint; none with an empty HOME or a relative XDG_CACHE_HOME', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/svclint');
    expect(cacheDir({ XDG_CACHE_HOME: 'rel/cache', HOME: '/home/u' })).toBe('/home/u/.cache/svclint');
    expect(cacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/svclint');
    expect(cacheDir({ HOME: '' })).toBeUndefined();
    expect(cacheDir({ XDG_CACHE_HOME: 'rel', HOME: '' })).toBeUndefined();
    expect(cacheDir({})).toBe(path.join(homedir(), '.cache', 'svclint')); // HOME unset: the account's home
  });

  it('gives the same findings with and without it, cold and warm, on the fixtures (a differential test)', () => {
    const home = xdg();
    const args = ['fixtures/demo', 'rules', '--no-error-on-unmatched-pattern'];
    const plain = lintJson(args, { XDG_CACHE_HOME: home });
    expect(existsSync(cacheFile(home))).toBe(false); // off unless asked for
    const cold = lintJson([...args, '--cache'], { XDG_CACHE_HOME: home });
    expect(existsSync(cacheFile(home))).toBe(true);
    const warm = lintJson([...args, '--cache'], { XDG_CACHE_HOME: home });
    expect(JSON.parse(plain.out).findings.length).toBeGreaterThan(50);
    expect(cold).toEqual(plain);
    expect(warm).toEqual(plain);
  });

  it.skipIf(!corpusOrSkip('the corpus part of the cache differential test'))('gives the same parse results as parsing, for every corpus file, through a written and re-read cache', async () => {
    const files: { path: string; text: string }[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ya?ml|json)$/.test(e.name) && files.length < 600) files.push({ path: p, text: readFileSync(p, 'utf8') });
      }
    };
    walk(CORPUS);
    const home = xdg();
    const want = await parseAll(files, 1);
    await parseAllCached(files, new ParseCache(path.join(home, 'svclint')));
    const again = new ParseCache(path.join(home, 'svclint'));
    const got = await parseAllCached(files, again);
    expect(again.hits).toBe(files.length);
    expect(got).toEqual(want);
  }, 300_000);

  it('keeps a large CustomResourceDefinition spec apart and decodes it on first read: the same values, and a missing or broken part is a miss', async () => {
    const props = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field${i}`, { type: 'string', description: `what field ${i} holds, *.example.com and ? alike` }]));
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: props } } }] }, status: { acceptedNames: { kind: '' } } };
    const small = { ...crd, metadata: { name: 'small.example.com' }, spec: { group: 'example.com' } };
    const files = [{ path: 'crds.yaml', text: `${JSON.stringify(crd)}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n${JSON.stringify(small)}\n` }];
    const home = xdg();
    const dir = path.join(home, 'svclint');
    const want = await parseAll(files, 1);
    expect(JSON.stringify(crd.spec).length).toBeGreaterThan(DEFER_MIN_CHARS);
    const first = new ParseCache(dir);
    await parseAllCached(files, first);
    // Three entries: the result, the large spec apart, nothing for the small one.
    const lines = () => readFileSync(cacheFile(home), 'utf8').split('\n').slice(1).filter(Boolean);
    expect(lines()).toHaveLength(2);
    const again = new ParseCache(dir);
    const [got] = await parseAllCached(files, again);
    expect(again.hits).toBe(1);
    const value = got!.docs[0]!.value as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(value, 'spec')?.get).toBeTypeOf('function'); // not decoded yet
    expect(Object.keys(value)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']); // in its place
    expect(JSON.stringify(got)).toBe(JSON.stringify(want[0]));
    expect(got).toEqual(want[0]);
    expect(Object.getOwnPropertyDescriptor(value, 'spec')?.value).toEqual(crd.spec); // plain once read
    // The part apart missing, or failing its checksum: the file is parsed again, the same values.
    for (const damage of [(l: string[]) => l.filter((x) => !x.includes('"group":"example.com","names"') || x.includes('"docs"')), (l: string[]) => l.map((x) => (x.includes('"docs"') ? x : x.replace('"Widget"', '"Gadget"')))]) {
      const [header] = readFileSync(cacheFile(home), 'utf8').split('\n');
      writeFileSync(cacheFile(home), [header, ...damage(lines())].join('\n'));
      const c = new ParseCache(dir);
      const [r] = await parseAllCached(files, c);
      expect(c.misses).toBe(1);
      expect(r).toEqual(want[0]);
    }
  });

  it('a spec kept apart is read by the one rule that needs a CRD field (a conversion webhook), and only where its text has one', async () => {
    const props = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field${i}`, { type: 'string', description: `what field ${i} holds` }]));
    const crd = (name: string, conversion?: unknown) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group: 'example.com', names: { kind: 'Widget', plural: name.split('.')[0] }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: props } } }], ...(conversion ? { conversion } : {}) } });
    const webhook = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'system', name: 'webhook-service', port: 8443 } } } };
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: webhook-service, namespace: system}\nspec:\n  ports: [{port: 9443}]\n';
    const files = [{ path: 'crds.yaml', text: `${JSON.stringify(crd('widgets.example.com', webhook))}\n---\n${JSON.stringify(crd('gadgets.example.com'))}\n---\n${service}` }];
    const dir = path.join(xdg(), 'svclint');
    await parseAllCached(files, new ParseCache(dir));
    const parsed = await parseAllCached(files, new ParseCache(dir));
    const [withHook, without] = parsed[0]!.docs.map((d) => d.value as Record<string, unknown>);
    expect(Object.getOwnPropertyDescriptor(withHook!, 'spec')?.get).toBeTypeOf('function'); // kept apart
    const { findings } = lint({ files, parsed });
    expect(findings.filter((f) => f.ruleId === 'webhook-service-invalid').map((f) => f.path)).toEqual(['spec.conversion.webhook.clientConfig.service.port']);
    // The CRD without a conversion webhook was never decoded.
    expect(Object.getOwnPropertyDescriptor(without!, 'spec')?.get).toBeTypeOf('function');
  });

  it('keeps values JSON cannot carry exactly out of it (negative zero, infinities, holes) and parses them each time', () => {
    const c = new ParseCache(path.join(xdg(), 'svclint'));
    const doc = (value: unknown) => ({ docs: [{ index: 0, range: [0, 1] as [number, number], value }], problems: [] });
    c.set('negative-zero', doc({ a: -0 }));
    c.set('infinity', doc({ a: [Infinity] }));
    c.set('nan', doc({ a: NaN }));
    c.set('hole', doc({ a: [1, undefined] }));
    c.set('date', doc({ a: new Date(0) }));
    expect(c.size).toBe(0);
    c.set('plain', doc({ a: 0, b: ['x', null, { __proto__: 1 }], c: '\ud800' }));
    expect(c.size).toBe(1);
    expect(c.get('plain')).toEqual(doc({ a: 0, b: ['x', null, { __proto__: 1 }], c: '\ud800' }));
  });

  it('a corrupt line or a foreign file costs only time: the same findings, and the cache is rewritten', () => {
    const home = xdg();
    const args = ['fixtures/demo'];
    const plain = lintJson(args, { XDG_CACHE_HOME: home });
    lintJson([...args, '--cache'], { XDG_CACHE_HOME: home });
    const file = cacheFile(home);
    // Change a value inside a cached line, keeping its checksum: the line must be refused.
    const text = readFileSync(file, 'utf8');
    const tampered = text.replace(/"name":"web"/g, '"name":"tampered"');
    expect(tampered).not.toBe(text);
    writeFileSync(file, tampered);
    expect(lintJson([...args, '--cache'], { XDG_CACHE_HOME: home })).toEqual(plain);
    expect(readFileSync(file, 'utf8')).not.toContain('tampered');
    for (const foreign of ['not a cache at all\n', '\u0000\u0001binary', 'svclint-parse-cache 1 0.0.0-other\nkey\t1\tsum\t{}\n', '']) {
      writeFileSync(file, foreign);
      expect(lintJson([...args, '--cache'], { XDG_CACHE_HOME: home }), JSON.stringify(foreign)).toEqual(plain);
    }
    expect(readFileSync(file, 'utf8').startsWith('svclint-parse-cache 1 ')).toBe(true);
  });

  it('is read only by the build that wrote it: another build of the same version (a later commit) ignores and replaces it', () => {
    const home = xdg();
    const args = ['fixtures/demo'];
    const plain = lintJson(args, { XDG_CACHE_HOME: home });
    lintJson([...args, '--cache'], { XDG_CACHE_HOME: home });
    const file = cacheFile(home);
    const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
    expect(header).toMatch(/^svclint-parse-cache 1 \S+ [0-9a-f]{32}$/);
    // Entries whose values differ from what parsing gives, each with a valid checksum: what a
    // build that parsed differently would have left.
    const poisoned = lines.map((line) => {
      const [key, t, , json] = line.split('\t');
      if (json === undefined) return line;
      const changed = json.replace(/"name":"web"/g, '"name":"tampered"');
      const sum = createHash('sha256').update(key!).update('\t').update(changed).digest('hex').slice(0, 32);
      return `${key}\t${t}\t${sum}\t${changed}`;
    });
    expect(poisoned.join('\n')).toContain('tampered');
    // Under this build's header the entries are trusted (so the check below can fail)...
    writeFileSync(file, [header, ...poisoned].join('\n'));
    expect(lintJson([...args, '--cache'], { XDG_CACHE_HOME: home }).out).toContain('tampered');
    // ...under another build's, of the same version, they are not: parsed again, and the file replaced.
    const other = header!.replace(/[0-9a-f]{32}$/, (h) => h.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    writeFileSync(file, [other, ...poisoned].join('\n'));
    expect(lintJson([...args, '--cache'], { XDG_CACHE_HOME: home })).toEqual(plain);
    const after = readFileSync(file, 'utf8');
    expect(after.split('\n')[0]).toBe(header);
    expect(after).not.toContain('tampered');
  });

  it('keeps what the rules read from a text (hosts in a long mounted file) and a duplicate-key file read as kubectl reads it, for the next run: the same findings, and the kept values are the ones used', () => {
    const zoo = ['tickTime=2000', ...Array.from({ length: 40 }, (_, i) => `# padding line ${i} of a long zoo.cfg`), 'server.1=zk-0.zk-hs:2888:3888', 'server.2=zk-1.zk-hs:2888:3888', 'server.3=zk-3.zk-hs:2888:3888'];
    const dir = tempTree({
      'cart.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: shop}\nspec:\n  replicas: 2\n  replicas: 3\n  selector: {matchLabels: {app: cart}}\n  template:\n    metadata: {labels: {app: cart}}\n    spec: {containers: [{name: c, image: cart:1}]}\n',
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {selector: {app: cart}, ports: [{port: 80}]}\n',
      'zk.yaml': [
        'apiVersion: v1\nkind: Service\nmetadata: {name: zk-hs, namespace: shop}\nspec: {clusterIP: None, selector: {app: zk}, ports: [{name: peer, port: 2888}]}',
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: zk, namespace: shop}\nspec:\n  serviceName: zk-hs\n  replicas: 3\n  selector: {matchLabels: {app: zk}}\n  template:\n    metadata: {labels: {app: zk}}\n    spec:\n      containers: [{name: zk, image: zookeeper:3.9, ports: [{name: peer, containerPort: 2888}], volumeMounts: [{name: conf, mountPath: /conf}]}]\n      volumes: [{name: conf, configMap: {name: zk}}]',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zk, namespace: shop}\ndata:\n  zoo.cfg: |\n${zoo.map((l) => `    ${l}`).join('\n')}\n`,
      ].join('\n---\n'),
    });
    expect(zoo.join('\n').length).toBeGreaterThan(512); // read through the memo (references.ts)
    const home = xdg();
    const run = (...more: string[]) => lintJson(['.', ...more], { XDG_CACHE_HOME: home }, dir);
    const plain = run();
    const ids = JSON.parse(plain.out).findings.map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`);
    expect(ids).toContainEqual(expect.stringMatching(/^dns-reference-unknown-service: .*zk-3\.zk-hs/));
    // The repeated key is a warning, and the Deployment (the last `replicas` wins) is there for the Service.
    expect(ids).toContainEqual(expect.stringMatching(/^yaml-syntax: duplicate key `replicas`/));
    expect(ids.filter((i: string) => i.startsWith('selector-no-match'))).toEqual([]);
    expect(run('--cache')).toEqual(plain);
    expect(run('--cache')).toEqual(plain);
    // The kept hosts, with a valid checksum, emptied (a JSON array; parse results are objects): the next run uses them.
    const file = cacheFile(home);
    const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
    let emptied = 0;
    const poisoned = lines.map((line) => {
      const [key, t, , json] = line.split('\t');
      if (json === undefined) return line;
      let changed: string;
      if (json.startsWith('[')) changed = '[]';
      else return line;
      emptied++;
      return `${key}\t${t}\t${createHash('sha256').update(key!).update('\t').update(changed).digest('hex').slice(0, 32)}\t${changed}`;
    });
    expect(emptied).toBe(1);
    writeFileSync(file, [header, ...poisoned].join('\n'));
    const used = JSON.parse(run('--cache').out).findings.map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`);
    expect(used).not.toContainEqual(expect.stringMatching(/^dns-reference-unknown-service: .*zk-3\.zk-hs/));
    expect(used).toContainEqual(expect.stringMatching(/^yaml-syntax: duplicate key `replicas`/));
  });

  it('keeps the positions of findings and the schema errors of each object by the file\'s text: the same findings, cold and warm, and the kept values are the ones used', () => {
    const dir = tempTree({
      'web.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetport: 8080\n',
      'api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        ports: [{containerPort: "80"}]\n',
    });
    const home = xdg();
    const run = (...more: string[]) => lintJson(['.', ...more], { XDG_CACHE_HOME: home }, dir);
    const plain = run();
    type F = { ruleId: string; message: string; location?: { file: string; line: number } };
    const findings = (out: string) => (JSON.parse(out) as { findings: F[] }).findings;
    const schema = findings(plain.out).filter((f) => f.ruleId === 'schema-invalid');
    expect(schema.map((f) => [f.location?.file, f.location?.line, f.message])).toEqual([
      ['api.yaml', 12, expect.stringContaining('must be an integer')],
      ['web.yaml', 8, expect.stringContaining('unknown field `targetport`')],
    ]);
    expect(run('--cache')).toEqual(plain);
    expect(run('--cache')).toEqual(plain);
    // Each kept value, with a valid checksum, changed: positions 100 lines on, schema errors with another field name.
    const file = cacheFile(home);
    const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
    const kinds = { positions: 0, reports: 0 };
    const poisoned = lines.map((line) => {
      const [key, t, , json] = line.split('\t');
      if (json === undefined || !json.startsWith('{') || json.includes('"docs":')) return line;
      const value = JSON.parse(json) as Record<string, unknown[]>;
      for (const v of Object.values(value)) {
        if (v.length === 7 && v.every((n) => typeof n === 'number')) {
          kinds.positions++;
          v[3] = (v[3] as number) + 100;
          v[5] = (v[5] as number) + 100;
        } else {
          for (const r of v as { data: Record<string, string> }[]) if (r.data.field) {
            kinds.reports++;
            r.data.field = '`tampered`';
          }
        }
      }
      const changed = JSON.stringify(value);
      return `${key}\t${t}\t${createHash('sha256').update(key!).update('\t').update(changed).digest('hex').slice(0, 32)}\t${changed}`;
    });
    expect(kinds.positions).toBeGreaterThan(2);
    expect(kinds.reports).toBe(2);
    writeFileSync(file, [header, ...poisoned].join('\n'));
    const used = findings(run('--cache').out).filter((f) => f.ruleId === 'schema-invalid');
    expect(used.map((f) => [f.location?.file, f.location?.line, f.message])).toEqual([
      ['api.yaml', 112, expect.stringContaining('`tampered`')],
      ['web.yaml', 108, expect.stringContaining('`tampered`')],
    ]);
  });

  it('is never written to the working folder, and not at all with an empty HOME and no XDG_CACHE_HOME', () => {
    const dir = tempTree({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });
    const r = cli(['.', '--cache', '-f', 'json'], { cwd: dir, env: { HOME: '', XDG_CACHE_HOME: undefined } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['selector-no-match']);
    expect(readdirSync(dir)).toEqual(['svc.yaml']);
  });

  it('stays under its size limit, dropping the entries used longest ago', async () => {
    const home = path.join(xdg(), 'svclint');
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `f${i}.yaml`, text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: "${'x'.repeat(200)}"}\n` }));
    await parseAllCached(files.slice(0, 20), new ParseCache(home, 4096, 1_000));
    await parseAllCached(files.slice(20), new ParseCache(home, 4096, 2_000));
    expect(statSync(path.join(home, CACHE_FILE)).size).toBeLessThanOrEqual(4096);
    const c = new ParseCache(home, 4096, 3_000);
    expect(c.size).toBeGreaterThan(0);
    expect(c.size).toBeLessThan(40);
    await parseAllCached(files.slice(20), c);
    await parseAllCached(files.slice(0, 20), (c.hits = 0, c));
    expect(c.hits).toBe(0); // the older ones went first
  });

  it('concurrent runs never leave a broken cache: every run gives the same findings and the file reads back whole', async () => {
    const home = xdg();
    const plain = lintJson(['fixtures/demo', 'rules', '--no-error-on-unmatched-pattern'], { XDG_CACHE_HOME: home });
    const run = () => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'fixtures/demo', 'rules', '--no-error-on-unmatched-pattern', '--cache', '-f', 'json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: home } });
      let out = '';
      // Decoded as one stream: a chunk may end inside a character (`…` is three bytes).
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('close', () => resolve(out));
    });
    const outs = await Promise.all([run(), run(), run(), run()]);
    for (const o of outs) expect(o).toBe(plain.out);
    expect(readdirSync(path.join(home, 'svclint')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Whole: a header, then entries whose checksums hold and whose values read back (the
    // command's build wrote it, so it is checked here line by line, not through ParseCache).
    const [header, ...lines] = readFileSync(cacheFile(home), 'utf8').split('\n');
    expect(header).toMatch(/^svclint-parse-cache 1 \S+ [0-9a-f]{32}$/);
    const entries = lines.filter(Boolean);
    expect(entries.length).toBeGreaterThan(10);
    for (const line of entries) {
      const [key, , sum, json] = line.split('\t');
      expect(createHash('sha256').update(key!).update('\t').update(json!).digest('hex').slice(0, 32)).toBe(sum);
      expect(() => JSON.parse(json!)).not.toThrow();
    }
    expect(lintJson(['fixtures/demo', 'rules', '--no-error-on-unmatched-pattern', '--cache'], { XDG_CACHE_HOME: home })).toEqual(plain);
  });
});
