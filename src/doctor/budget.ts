import { heapLimit } from '../load/memory.js';

export { heapLimit };

/**
 * What the analysis after the read needs, as measured on Node 20 (docs/limits.md): per
 * byte of objects kept as heapBytes counts them (the objects, with room for the collector)
 * and per object (its place in the graph, and a finding with its report when it has one:
 * about 5 KiB each where every object of a cluster is a finding), on top of the base.
 */
export const HEAP_PER_KEPT_BYTE = 1.5;
export const HEAP_PER_OBJECT = 6 * 1024;
export const HEAP_BASE_BYTES = 200 * 2 ** 20;

/**
 * The memory of one doctor run's answers, against two bounds: the text of bodies being read
 * (in flight) plus the objects decoded from them and kept (estimated as V8 holds them, see
 * heapBytes) may take `limit`; and what the analysis of the objects kept will need
 * (HEAP_PER_KEPT_BYTE, HEAP_PER_OBJECT, HEAP_BASE_BYTES) must fit in the heap V8 may grow
 * to. Lists are read a few at a time; each may hold `share` in flight on its own, and one
 * that needs more (an object or body larger than anything Kubernetes stores) waits for its
 * turn, so at most one large text is in flight at a time and the others wait instead of
 * all reading at once. Passing either bound throws the error `exceeded` makes for it.
 */
export class MemoryBudget {
  inFlight = 0;
  kept = 0;
  /** Objects kept. */
  objects = 0;
  /** The most inFlight + kept reached. */
  peak = 0;
  /** Property names already counted (each distinct name is held once, whatever the number of objects). */
  readonly names = new Set<string>();
  private turn: object | undefined;
  private readonly waiting: { who: object; go: () => void }[] = [];

  constructor(readonly limit: number, private readonly exceeded: (bound: 'answers' | 'heap', budget: MemoryBudget) => Error, readonly heap = heapLimit()) {}

  /** What the analysis of what is held now would need. */
  need(extra = 0): number {
    return (this.inFlight + this.kept + extra) * HEAP_PER_KEPT_BYTE + this.objects * HEAP_PER_OBJECT + HEAP_BASE_BYTES;
  }

  /** Bytes one answer may hold in flight without waiting for its turn. */
  get share(): number {
    return Math.max(1 << 20, Math.floor(this.limit / 16));
  }

  /** Counts bytes in flight (negative: released); past the bound, throws. */
  flight(bytes: number): void {
    this.inFlight += bytes;
    if (bytes > 0) this.check();
  }

  /** Counts bytes and objects kept (negative: dropped); past a bound, throws. */
  keep(bytes: number, objects = 0): void {
    this.kept += bytes;
    this.objects += objects;
    if (bytes > 0) this.check();
  }

  /** Throws when `extra` more bytes (a transient cost, such as decoding a text) would pass a bound. */
  check(extra = 0): void {
    const used = this.inFlight + this.kept;
    if (used > this.peak) this.peak = used;
    if (used + extra > this.limit) throw this.exceeded('answers', this);
    if (this.need(extra) > this.heap) throw this.exceeded('heap', this);
  }

  /** Whether `who` may hold more than `share` in flight now; otherwise `go` is called when it may. */
  claim(who: object, go: () => void): boolean {
    if (this.turn === undefined || this.turn === who) {
      this.turn = who;
      return true;
    }
    this.waiting.push({ who, go });
    return false;
  }

  /** `who` is done (its answer ended or failed): the turn passes on. */
  release(who: object): void {
    const i = this.waiting.findIndex((w) => w.who === who);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.turn !== who) return;
    this.turn = undefined;
    const next = this.waiting.shift();
    if (next) {
      this.turn = next.who;
      next.go();
    }
  }
}


/**
 * What a decoded JSON value may take in V8's heap (64-bit, no pointer compression: Node's
 * builds): a string's header and characters (two bytes each when one is beyond Latin-1),
 * an object's or array's header and a slot per entry, a number beyond small integers its
 * box, and each distinct property name once (its string and its place in an object
 * layout). Measured against the heap, this is 1 to 2.5 times what ordinary objects take
 * (short values V8 shares are counted each time) and at least what shapes built to cost
 * more take (deep nesting, empty objects, thousands of distinct keys, wide characters);
 * test/doctor-memory.test.ts measures it.
 */
export function heapBytes(value: unknown, names: Set<string>): number {
  let n = 0;
  // A stack, not recursion: JSON.parse reads any depth, and so must this.
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') n += 16 + round8(LATIN1.test(v) ? v.length : 2 * v.length);
    else if (typeof v === 'number') n += Number.isInteger(v) && Math.abs(v) < 2 ** 30 ? 0 : 16;
    else if (v === null || typeof v !== 'object') continue;
    else if (Array.isArray(v)) {
      n += 56 + 8 * v.length;
      for (const x of v) if (typeof x === 'object' || typeof x === 'string' || typeof x === 'number') stack.push(x);
    } else {
      n += 56;
      for (const k in v) {
        n += 8;
        stack.push((v as Record<string, unknown>)[k]);
        if (!names.has(k)) {
          // Past a million names, each is counted every time it is met (the set stays bounded).
          if (names.size < 1 << 20) names.add(k);
          n += 160 + round8(k.length);
        }
      }
    }
  }
  return n;
}

const LATIN1 = /^[\u0000-\u00ff]*$/;
const round8 = (n: number) => (n + 7) & ~7;

/** The annotation kubectl apply writes: the whole object again, as JSON. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops what no check reads and only repeats the object: metadata.managedFields (which the
 * API server sends with every object, often a third of its size) and the annotation
 * kubectl apply writes (the object again, as JSON text).
 */
export function prune(item: Record<string, unknown>): void {
  const meta = item.metadata as Record<string, unknown>;
  delete meta.managedFields;
  const annotations = meta.annotations as Record<string, string> | null | undefined;
  if (annotations && Object.hasOwn(annotations, LAST_APPLIED)) delete annotations[LAST_APPLIED];
}
