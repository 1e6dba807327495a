import { parentPort } from 'node:worker_threads';
import { parseInline, type WorkerAnswer } from './parse-pool.js';

// A plain copy of the environment, as on the main thread (src/cli/bin.ts): the yaml
// package reads process.env for every token, and a thread's process.env is slow to read too.
if (process.platform !== 'win32') process.env = { ...process.env };

/** Parses texts it is sent and answers with plain values (see parse-pool.ts). */
parentPort!.on('message', (msg: { id: number; files: { path: string; text: string }[] }) => {
  const answer: WorkerAnswer = { id: msg.id, results: msg.files.map((f) => parseInline(f)) };
  try {
    parentPort!.postMessage(answer);
  } catch (err) {
    // A value that cannot be copied (too deep for the serializer): the pool parses it itself.
    parentPort!.postMessage({ id: msg.id, failed: String(err) } satisfies WorkerAnswer);
  }
});
