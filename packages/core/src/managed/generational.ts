/**
 * A generational tracing collector: a copying nursery, a mark-sweep old space, a write
 * barrier and a remembered set (Ungar 1984; Jones, Hosking & Moss ch. 9). The graph is
 * replayed as a mutator: nodes are allocated in order into the nursery, and each reference
 * is stored when both ends exist. A store of a young object into an old one goes through
 * the barrier, which remembers the old object. A minor collection traces from the roots and
 * the remembered set through the nursery only and promotes the survivors; a major one
 * marks and sweeps everything. The replay uses the final roots throughout, plus every
 * object that a not-yet-allocated object will refer to (the mutator must still hold it);
 * tenured garbage (floating garbage) shows as it does in real generational heaps.
 */
import { type HeapGraph, markFromRoots } from "./graph.js";
import { fragmentationOf, type Pause, summariseTracing, type TracingResult } from "./tracing.js";

/** Sizes of the generational heap. */
export interface GenerationalOptions {
  /** Nursery size in bytes (default: 1/8 of the data, at least 4 KiB). */
  readonly nurseryBytes?: number;
  /** Old-space occupancy that triggers a major collection (default 4 × nursery; doubles as it fills). */
  readonly majorThresholdBytes?: number;
}

/** What the generational collector did besides its pauses. */
export interface GenerationalStats {
  readonly minorCollections: number;
  readonly majorCollections: number;
  readonly promotedBytes: number;
  readonly barrierHits: number;
  readonly maxRememberedSet: number;
}

const YOUNG = 1;
const OLD = 2;
const DEAD = 3;
const aligned = (n: number): number => Math.ceil(n / 16) * 16;

/** The replayed heap: per-node state, the nursery, the old space's promotion order, the remembered set. */
class GenerationalHeap {
  readonly state: Uint8Array;
  readonly pauses: Pause[] = [];
  readonly stats = {
    minorCollections: 0,
    majorCollections: 0,
    promotedBytes: 0,
    barrierHits: 0,
    maxRememberedSet: 0,
  };
  readonly promoted: Int32Array;
  promotedLen = 0;
  private readonly nursery: Int32Array;
  private nurseryLen = 0;
  nurseryUsed = 0;
  oldUsed = 0;
  majorThreshold: number;
  now = 0;
  private readonly remembered: Uint8Array;
  private readonly remset: Int32Array;
  private remsetLen = 0;
  private readonly stack: Int32Array;
  private readonly incoming: { start: Int32Array; src: Int32Array };
  /** The last node (in allocation order) that refers to each node: until then the mutator holds it. */
  private readonly lastUse: Int32Array;

  constructor(
    private readonly g: HeapGraph,
    majorThreshold: number,
  ) {
    this.state = new Uint8Array(g.n);
    this.promoted = new Int32Array(g.n);
    this.nursery = new Int32Array(g.n);
    this.remembered = new Uint8Array(g.n);
    this.remset = new Int32Array(g.n);
    this.stack = new Int32Array(g.n);
    this.majorThreshold = majorThreshold;
    this.incoming = reverseEdges(g);
    this.lastUse = new Int32Array(g.n).fill(-1);
    const { start, src } = this.incoming;
    for (let o = 0; o < g.n; o++) {
      for (let k = start[o]!; k < start[o + 1]!; k++) this.lastUse[o] = Math.max(this.lastUse[o]!, src[k]!);
    }
  }

  private held(o: number): boolean {
    return this.lastUse[o]! >= this.now;
  }

  /** Node i enters the nursery; stores of i into older, already old objects hit the barrier. */
  allocate(i: number, bytes: number): void {
    this.state[i] = YOUNG;
    this.nursery[this.nurseryLen++] = i;
    this.nurseryUsed += bytes;
    const { start, src } = this.incoming;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const s = src[k]!;
      if (s < i && this.state[s] === OLD && this.remembered[s] === 0) {
        this.remembered[s] = 1;
        this.remset[this.remsetLen++] = s;
        this.stats.barrierHits++;
        this.stats.maxRememberedSet = Math.max(this.stats.maxRememberedSet, this.remsetLen);
      }
    }
  }

  /** Evacuates the nursery: survivors (from roots, held objects, remembered set) are promoted. */
  minor(): void {
    const g = this.g;
    let sp = 0;
    let work = this.remsetLen;
    const reach = (t: number) => {
      if (this.state[t] === YOUNG) {
        this.state[t] = OLD;
        this.stack[sp++] = t;
      }
    };
    for (const r of g.roots) reach(r);
    for (let k = 0; k < this.nurseryLen; k++) if (this.held(this.nursery[k]!)) reach(this.nursery[k]!);
    for (let k = 0; k < this.remsetLen; k++) {
      const o = this.remset[k]!;
      for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) reach(g.edges[i]!);
      this.remembered[o] = 0;
    }
    while (sp > 0) {
      const o = this.stack[--sp]!;
      work++;
      this.promoted[this.promotedLen++] = o;
      this.oldUsed += aligned(g.size[o]!);
      this.stats.promotedBytes += aligned(g.size[o]!);
      for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
        work++;
        reach(g.edges[i]!);
      }
    }
    for (let k = 0; k < this.nurseryLen; k++)
      if (this.state[this.nursery[k]!] === YOUNG) this.state[this.nursery[k]!] = DEAD;
    this.remsetLen = 0;
    this.nurseryLen = 0;
    this.nurseryUsed = 0;
    this.stats.minorCollections++;
    this.pauses.push({ kind: "minor", work });
  }

  /** Marks from the roots (and held objects) through everything; sweeps the old space. */
  major(kind: "major" | "full"): void {
    const g = this.g;
    const alive = (o: number) => this.state[o] === OLD || this.state[o] === YOUNG;
    const roots: number[] = [];
    for (const r of g.roots) if (alive(r)) roots.push(r);
    for (let k = 0; k < this.promotedLen; k++) {
      const o = this.promoted[k]!;
      if (alive(o) && this.held(o)) roots.push(o);
    }
    for (let k = 0; k < this.nurseryLen; k++)
      if (alive(this.nursery[k]!) && this.held(this.nursery[k]!)) roots.push(this.nursery[k]!);
    const { marks, work } = markFromRoots({ ...g, roots: Int32Array.from(roots) });
    this.oldUsed = 0;
    for (let k = 0; k < this.promotedLen; k++) {
      const o = this.promoted[k]!;
      if (this.state[o] !== OLD) continue;
      if (marks[o] === 1) this.oldUsed += aligned(g.size[o]!);
      else this.state[o] = DEAD;
    }
    for (let k = 0; k < this.nurseryLen; k++) {
      const o = this.nursery[k]!;
      if (marks[o] === 0 && this.state[o] === YOUNG) this.state[o] = DEAD;
    }
    this.stats.majorCollections++;
    this.majorThreshold = Math.max(this.majorThreshold, 2 * this.oldUsed);
    this.pauses.push({ kind, work: work + this.promotedLen });
  }
}

/** Runs the generational collector over `g`; the last pause is a full (major) collection. */
export function generational(
  g: HeapGraph,
  opts: GenerationalOptions = {},
): TracingResult & { readonly generational: GenerationalStats } {
  let total = 0;
  for (let i = 0; i < g.n; i++) total += aligned(g.size[i]!);
  const nurseryBytes = opts.nurseryBytes ?? Math.max(4096, Math.floor(total / 8));
  const heap = new GenerationalHeap(g, opts.majorThresholdBytes ?? 4 * nurseryBytes);
  for (let i = 0; i < g.n; i++) {
    heap.now = i;
    const sz = aligned(g.size[i]!);
    if (heap.nurseryUsed + sz > nurseryBytes && heap.nurseryUsed > 0) {
      heap.minor();
      if (heap.oldUsed > heap.majorThreshold) heap.major("major");
    }
    heap.allocate(i, sz);
  }
  heap.now = g.n;
  heap.minor();
  heap.major("full");
  return finish(g, heap, nurseryBytes);
}

/** The live set and old-space layout after the final full collection. */
function finish(g: HeapGraph, heap: GenerationalHeap, nurseryBytes: number) {
  const live = new Uint8Array(g.n);
  const after = new Float64Array(g.n).fill(-1);
  let at = 0;
  const order = heap.promoted.subarray(0, heap.promotedLen);
  for (const o of order) {
    if (heap.state[o] === OLD) {
      live[o] = 1;
      after[o] = at;
    }
    at += aligned(g.size[o]!);
  }
  const frag = fragmentationOf(g, live, order);
  const base = summariseTracing(
    "generational",
    g,
    live,
    nurseryBytes + Math.max(at, 1),
    frag,
    heap.pauses,
    after,
  );
  return { ...base, generational: heap.stats };
}

function reverseEdges(g: HeapGraph): { start: Int32Array; src: Int32Array } {
  const start = new Int32Array(g.n + 1);
  for (let i = 0; i < g.edges.length; i++) start[g.edges[i]! + 1]!++;
  for (let i = 0; i < g.n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, g.n);
  const src = new Int32Array(g.edges.length);
  for (let o = 0; o < g.n; o++) {
    for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) src[fill[g.edges[i]!]!++] = o;
  }
  return { start, src };
}
