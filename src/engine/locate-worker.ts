import { parentPort, workerData } from 'node:worker_threads';
import { parseDocument, type Document } from 'yaml';
import { PARSE_OPTIONS } from '../load/document.js';
import { rangeInDocument } from './locate.js';
import { CLAIM, CLAIMED_BATCHES, type LocateAnswer, type LocateRequest } from './locate-pool.js';

// A plain copy of the environment, as on the main thread (src/cli/bin.ts): the yaml
// package reads process.env for every token, and a thread's process.env is slow to read too.
if (process.platform !== 'win32') process.env = { ...process.env };

/** Documents by key, parsed with ranges on first use and kept for later paths into them. */
const docs = new Map<string, { text: string; doc?: Document.Parsed }>();

const claims = (workerData as { claims: Int32Array }).claims;

/**
 * Finds the offsets of paths in documents it is sent (see locate-pool.ts), batch by batch,
 * unless the main thread has claimed the batch first; the documents are kept either way.
 */
parentPort!.on('message', (msg: LocateRequest) => {
  for (const d of msg.docs) docs.set(d.key, { text: d.text });
  if (msg.id < CLAIMED_BATCHES && Atomics.compareExchange(claims, msg.id, CLAIM.free, CLAIM.thread) !== CLAIM.free) return;
  const ranges = msg.reqs.map((r) => {
    try {
      const d = docs.get(r.key)!;
      d.doc ??= parseDocument(d.text, PARSE_OPTIONS) as Document.Parsed;
      return rangeInDocument(d.doc, d.text, 0, r.segments).range;
    } catch {
      return null; // found again on the main thread
    }
  });
  parentPort!.postMessage({ id: msg.id, ranges } satisfies LocateAnswer);
});
