import { parentPort, workerData } from 'node:worker_threads';
import { usePlainEnvironment } from '../plain-env.js';
import { parseDocument, type Document } from 'yaml';
import { KEEP_DOCUMENTS, PARSE_OPTIONS, parsedAsItem, Recent } from '../load/document.js';
import { rangeInDocument } from './locate.js';
import { CLAIM, CLAIMED_BATCHES, type LocateAnswer, type LocateRequest } from './locate-pool.js';

// As on the main thread: a thread's process.env is slow to read too.
usePlainEnvironment();

/** Document texts by key; their node trees are built on use, the most recent kept. */
const texts = new Map<string, LocateRequest['docs'][number]>();
const trees = new Recent<Document.Parsed>(KEEP_DOCUMENTS);

const claims = (workerData as { claims: Int32Array }).claims;

/**
 * Finds the offsets of paths in documents it is sent (see locate-pool.ts), batch by batch,
 * unless the main thread has claimed the batch first; the documents are kept either way.
 */
parentPort!.on('message', (msg: LocateRequest) => {
  for (const d of msg.docs) texts.set(d.key, d);
  if (msg.id < CLAIMED_BATCHES && Atomics.compareExchange(claims, msg.id, CLAIM.free, CLAIM.thread) !== CLAIM.free) return;
  const ranges = msg.reqs.map((r) => {
    try {
      const { text, item } = texts.get(r.key)!;
      const doc = trees.get(r.key, () => parseDocument(text, PARSE_OPTIONS) as Document.Parsed);
      // An item that does not parse alone as one is found on the main thread, in its whole document.
      if (item && !parsedAsItem(doc, item)) return null;
      return rangeInDocument(doc, text, 0, r.segments).range;
    } catch {
      return null; // found again on the main thread
    }
  });
  parentPort!.postMessage({ id: msg.id, ranges } satisfies LocateAnswer);
});
