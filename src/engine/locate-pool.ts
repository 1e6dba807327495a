import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { ObjectOrigin, Path } from '../types/object.js';
import type { Location } from '../types/finding.js';
import { locate, scanLocateRange, toLocation } from './locate.js';
import { storedLocation, storedPosition, storePosition } from './positions.js';
import { spanOf } from '../load/document.js';
import { workerThreads } from '../lazy-builtins.js';
import { WORKER_YOUNG_GENERATION_MB } from '../load/parse-pool.js';

/**
 * Where findings get their positions. Most are found by reading the lines on the way to
 * the path (scan-position.ts); the rest cost a parse of their document with ranges (the
 * `yaml` package), which a run over many documents hands to a worker thread, which works
 * while the rules go on, and collects the answers before findings are filtered and sorted.
 */
export interface Locator {
  /** Calls `set` with the position of a path inside an object: now, or before settle() resolves. */
  at(origin: ObjectOrigin, path: Path, set: (location: Location) => void): void;
  /** Resolves when every position asked for has been set; stops the thread if there is one. */
  settle(): Promise<void>;
}

/** Positions found on this thread, at once. */
export const inlineLocator: Locator = {
  at: (origin, path, set) => set(locate(origin, path).location),
  settle: async () => {},
};

/**
 * A locator that finds each path of a document once per run: findings point at the same
 * nodes again and again (a Service's selector from every finding about its pods, each copy
 * of a repeated object from every other), so a large run asks for far fewer positions than
 * it sets. Each caller gets its own copy of the position.
 */
export function memoized(inner: Locator): Locator {
  const found = new Map<string, Location>();
  const waiting = new Map<string, ((location: Location) => void)[]>();
  return {
    at(origin, path, set) {
      const span = spanOf(origin);
      const key = `${span.key}\u0000${JSON.stringify(span.base)}\u0000${JSON.stringify(path)}`;
      const known = found.get(key);
      if (known) return set({ ...known });
      const others = waiting.get(key);
      if (others) return void others.push(set);
      waiting.set(key, [set]);
      inner.at(origin, path, (location) => {
        found.set(key, location);
        const setters = waiting.get(key) ?? [];
        waiting.delete(key);
        for (const s of setters) s({ ...location });
      });
    },
    settle: () => inner.settle(),
  };
}

/** Requests sent to the thread at a time: enough to keep it busy, few enough to start it early. */
const BATCH = 64;

/** What the thread is sent: the text of each document the first time, then paths into it. */
export interface LocateRequest {
  id: number;
  /** `item`: the text is one item of a List (its path from the text's root); the thread answers null when it does not parse alone as one. */
  docs: { key: string; text: string; item?: Path }[];
  reqs: { key: string; segments: Path }[];
}

/** Offsets into each request's document text, or null where the thread could not tell. */
export interface LocateAnswer {
  id: number;
  ranges: ([number, number] | null)[];
}

type Pending = { origin: ObjectOrigin; path: Path; set: (location: Location) => void; offset: number };

/**
 * Batches whose claim is shared with the thread: each is taken by whoever claims it first,
 * the thread from the first batch on, this thread from the last one once the rules are done.
 */
export const CLAIMED_BATCHES = 1 << 16;
export const CLAIM = { free: 0, thread: 1, main: 2 } as const;

class ThreadedLocator implements Locator {
  /** Started at the first position the scanner cannot find: a run whose positions it finds all starts none. */
  private worker: Worker | undefined;
  private readonly sent = new Set<string>();
  private readonly inFlight = new Map<number, Pending[]>();
  private docs: LocateRequest['docs'] = [];
  private reqs: LocateRequest['reqs'] = [];
  private pending: Pending[] = [];
  private nextId = 0;
  private broken = false;
  private idle: (() => void) | undefined;
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * CLAIMED_BATCHES));

  constructor(private readonly url: URL) {}

  private start(): void {
    try {
      this.worker = new (workerThreads().Worker)(this.url, { workerData: { claims: this.claims }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    } catch {
      this.broken = true; // positions are then found on this thread
      return;
    }
    this.worker.unref(); // until settle(): a run that stops early does not wait for it
    this.worker.on('message', (answer: LocateAnswer) => {
      const batch = this.inFlight.get(answer.id);
      if (!batch) return;
      this.inFlight.delete(answer.id);
      batch.forEach((p, i) => {
        const r = answer.ranges[i];
        if (r) {
          const range: [number, number] = [p.offset + r[0], p.offset + r[1]];
          const location = toLocation(p.origin.file, range[0], range[1]);
          storePosition(p.origin, p.path, range, undefined, location);
          p.set(location);
        }
        else inlineLocator.at(p.origin, p.path, p.set);
      });
      this.checkIdle();
    });
    // A thread that fails never costs a position: what it had not answered is found here.
    const fail = () => {
      if (this.broken) return;
      this.broken = true;
      for (const batch of this.inFlight.values()) for (const p of batch) inlineLocator.at(p.origin, p.path, p.set);
      this.inFlight.clear();
      this.checkIdle();
    };
    this.worker.on('error', fail);
    this.worker.on('messageerror', fail);
    this.worker.on('exit', fail);
  }

  at(origin: ObjectOrigin, path: Path, set: (location: Location) => void): void {
    if (this.broken || origin.file.rendered) return inlineLocator.at(origin, path, set);
    const kept = storedPosition(origin, path);
    if (kept) return set(storedLocation(origin.file, kept));
    // Most positions are found by reading a few lines (scan-position.ts); only the rest need a parse.
    const scanned = scanLocateRange(origin, path);
    if (scanned) {
      const location = toLocation(origin.file, scanned.range[0], scanned.range[1]);
      storePosition(origin, path, scanned.range, scanned.exact, location);
      return set(location);
    }
    if (!this.worker) {
      this.start();
      if (this.broken) return inlineLocator.at(origin, path, set);
    }
    const span = spanOf(origin);
    const key = span.key;
    if (!this.sent.has(key)) {
      this.sent.add(key);
      this.docs.push({ key, text: origin.file.text.slice(span.range[0], span.range[1]), ...(span.item ? { item: span.base } : {}) });
    }
    this.reqs.push({ key, segments: [...span.base, ...path] });
    this.pending.push({ origin, path, set, offset: span.range[0] });
    if (this.reqs.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (!this.reqs.length) return;
    const id = this.nextId++;
    const request: LocateRequest = { id, docs: this.docs, reqs: this.reqs };
    const batch = this.pending;
    [this.docs, this.reqs, this.pending] = [[], [], []];
    if (this.broken) {
      for (const p of batch) inlineLocator.at(p.origin, p.path, p.set);
      return;
    }
    this.inFlight.set(id, batch);
    this.worker!.postMessage(request);
  }

  private checkIdle(): void {
    if (this.inFlight.size === 0 && this.idle) this.idle();
  }

  async settle(): Promise<void> {
    if (!this.worker) return; // every position was found on this thread
    this.worker.ref(); // the answers still to come keep the process alive
    this.flush();
    // The rules are done and this thread is free: it takes the batches the other has not
    // reached, from the last one back, until they meet.
    for (const id of [...this.inFlight.keys()].sort((a, b) => b - a)) {
      if (id >= CLAIMED_BATCHES || Atomics.compareExchange(this.claims, id, CLAIM.free, CLAIM.main) !== CLAIM.free) break;
      const batch = this.inFlight.get(id)!;
      this.inFlight.delete(id);
      for (const p of batch) inlineLocator.at(p.origin, p.path, p.set);
    }
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.broken = true; // its exit is expected now
    await this.worker.terminate();
  }
}

/**
 * A locator with a worker thread, or undefined where the thread's module is not there
 * (the TypeScript sources run under a test runner): positions are then found inline.
 * @internal
 */
export function threadedLocator(url = new URL('./locate-worker.js', import.meta.url)): Locator | undefined {
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  return new ThreadedLocator(url);
}
