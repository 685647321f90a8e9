/**
 * Tracing collectors over the same object graphs the reference-counting runtime builds, for
 * contrast: mark-sweep, mark-compact (sliding, Lisp-2 style), and semispace copying (Cheney's
 * breadth-first scan). Each reports the live set, the pause cost in logical work units
 * (objects visited + references scanned + objects swept or moved: core has no clock), heap
 * occupancy and external fragmentation. Sources: Jones, Hosking & Moss, "The Garbage
 * Collection Handbook", chapters 2–4; Cheney 1970.
 */
import { type HeapGraph, markFromRoots } from "./graph.js";

export type TracingCollectorName = "mark-sweep" | "mark-compact" | "semispace" | "generational";

/** One stop-the-world pause. */
export interface Pause {
  readonly kind: "full" | "minor" | "major";
  readonly work: number;
}

export interface TracingResult {
  readonly collector: TracingCollectorName;
  /** 1 for each node that survives. */
  readonly live: Uint8Array;
  readonly liveObjects: number;
  readonly liveBytes: number;
  readonly freedObjects: number;
  readonly freedBytes: number;
  /** Bytes of heap the collector needs (a semispace heap is twice the data). */
  readonly heapBytes: number;
  /** liveBytes / heapBytes after the collection. */
  readonly occupancy: number;
  /** 1 − largest free block / total free bytes (0 when the free space is one block). */
  readonly fragmentation: number;
  readonly pauses: readonly Pause[];
  readonly totalWork: number;
  readonly maxPauseWork: number;
  /** Each surviving node's heap offset after the collection (−1 when freed). */
  readonly addressAfter: Float64Array;
}

const ALIGN = 16;
const aligned = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Heap offsets of the nodes laid out in allocation order. */
export function initialLayout(g: HeapGraph): { addr: Float64Array; total: number } {
  const addr = new Float64Array(g.n);
  let at = 0;
  for (let i = 0; i < g.n; i++) {
    addr[i] = at;
    at += aligned(g.size[i]!);
  }
  return { addr, total: at };
}

/** External fragmentation of a heap where the dead nodes (in layout order `order`) left holes. */
export function fragmentationOf(g: HeapGraph, live: Uint8Array, order: ArrayLike<number>): number {
  let free = 0;
  let largest = 0;
  let run = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (live[i] === 1) {
      largest = Math.max(largest, run);
      run = 0;
    } else {
      run += aligned(g.size[i]!);
      free += aligned(g.size[i]!);
    }
  }
  largest = Math.max(largest, run);
  return free === 0 ? 0 : 1 - largest / free;
}

function summarise(
  collector: TracingCollectorName,
  g: HeapGraph,
  live: Uint8Array,
  heapBytes: number,
  fragmentation: number,
  pauses: Pause[],
  addressAfter: Float64Array,
): TracingResult {
  let liveObjects = 0;
  let liveBytes = 0;
  let freedBytes = 0;
  for (let i = 0; i < g.n; i++) {
    if (live[i] === 1) {
      liveObjects++;
      liveBytes += aligned(g.size[i]!);
    } else freedBytes += aligned(g.size[i]!);
  }
  const works = pauses.map((p) => p.work);
  return {
    collector,
    live,
    liveObjects,
    liveBytes,
    freedObjects: g.n - liveObjects,
    freedBytes,
    heapBytes,
    occupancy: heapBytes === 0 ? 0 : liveBytes / heapBytes,
    fragmentation,
    pauses,
    totalWork: works.reduce((a, b) => a + b, 0),
    maxPauseWork: Math.max(0, ...works),
    addressAfter,
  };
}

/** Mark-sweep: mark from the roots, then sweep every node; dead nodes leave holes in place. */
export function markSweep(g: HeapGraph): TracingResult {
  const { marks, work } = markFromRoots(g);
  const { addr, total } = initialLayout(g);
  const after = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) after[i] = marks[i] === 1 ? addr[i]! : -1;
  const order = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) order[i] = i;
  const frag = fragmentationOf(g, marks, order);
  return summarise("mark-sweep", g, marks, total, frag, [{ kind: "full", work: work + g.n }], after);
}

/**
 * Mark-compact (sliding): mark; compute each survivor's forwarding address in address
 * order; update every reference; slide the survivors down. Order is kept, holes vanish.
 */
export function markCompact(g: HeapGraph): TracingResult {
  const { marks, work } = markFromRoots(g);
  const { total } = initialLayout(g);
  const after = new Float64Array(g.n).fill(-1);
  let free = 0;
  let w = work;
  for (let i = 0; i < g.n; i++) {
    w++;
    if (marks[i] === 1) {
      after[i] = free;
      free += aligned(g.size[i]!);
    }
  }
  for (let i = 0; i < g.n; i++) if (marks[i] === 1) w += g.edgeStart[i + 1]! - g.edgeStart[i]! + 1;
  w += g.n;
  return summarise("mark-compact", g, marks, total, 0, [{ kind: "full", work: w }], after);
}

/**
 * Semispace copying (Cheney): evacuate the roots into to-space, then scan to-space left to
 * right, copying each referenced from-space node once (a forwarding address marks it).
 * Only live nodes are touched; the heap must hold two semispaces.
 */
export function semispace(g: HeapGraph): TracingResult {
  const { total } = initialLayout(g);
  const forward = new Float64Array(g.n).fill(-1);
  const queue = new Int32Array(g.n);
  let tail = 0;
  let free = 0;
  let work = 0;
  const copy = (o: number) => {
    if (forward[o] !== -1) return;
    forward[o] = free;
    free += aligned(g.size[o]!);
    queue[tail++] = o;
    work++;
  };
  for (const r of g.roots) copy(r);
  for (let scan = 0; scan < tail; scan++) {
    const o = queue[scan]!;
    for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
      work++;
      copy(g.edges[i]!);
    }
  }
  const live = new Uint8Array(g.n);
  for (let k = 0; k < tail; k++) live[queue[k]!] = 1;
  return summarise("semispace", g, live, 2 * total, 0, [{ kind: "full", work }], forward);
}

export { summarise as summariseTracing };
