import { parentPort } from 'node:worker_threads';
import { parseDocument, type Document } from 'yaml';
import { PARSE_OPTIONS } from '../load/document.js';
import { rangeInDocument } from './locate.js';
import type { LocateAnswer, LocateRequest } from './locate-pool.js';

/** Documents by key, parsed with ranges on first use and kept for later paths into them. */
const docs = new Map<string, { text: string; doc?: Document.Parsed }>();

/** Finds the offsets of paths in documents it is sent (see locate-pool.ts). */
parentPort!.on('message', (msg: LocateRequest) => {
  for (const d of msg.docs) docs.set(d.key, { text: d.text });
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
