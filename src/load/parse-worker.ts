import { parentPort } from 'node:worker_threads';
import { parseText } from './parse.js';

/** Parses texts it is sent and answers with plain values (see parse-pool.ts). */
parentPort!.on('message', (msg: { id: number; texts: string[] }) => {
  parentPort!.postMessage({ id: msg.id, results: msg.texts.map((t) => parseText(t)) });
});
