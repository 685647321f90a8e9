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

export interface GenerationalOptions {
  /** Nursery size in bytes (default: 1/8 of the data, at least 4 KiB). */
  readonly nurseryBytes?: number;
  /** Old-space occupancy that triggers a major collection (default 4 × nursery; doubles as it fills). */
  readonly majorThresholdBytes?: number;
}

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

/** Runs the generational collector over `g`; the last pause is a full (major) collection. */
export function generational(
  g: HeapGraph,
  opts: GenerationalOptions = {},
): TracingResult & {
  readonly generational: GenerationalStats;
} {
  const total = g.size.reduce((a, b) => a + aligned(b), 0);
  const nurseryBytes = opts.nurseryBytes ?? Math.max(4096, Math.floor(total / 8));
  let majorThreshold = opts.majorThresholdBytes ?? 4 * nurseryBytes;
  const state = new Uint8Array(g.n);
  const isRoot = new Uint8Array(g.n);
  for (const r of g.roots) isRoot[r] = 1;
  const incoming = reverseEdges(g);
  const remembered = new Uint8Array(g.n);
  const remset: number[] = [];
  const promotedOrder: number[] = [];
  const pauses: Pause[] = [];
  const stats = {
    minorCollections: 0,
    majorCollections: 0,
    promotedBytes: 0,
    barrierHits: 0,
    maxRememberedSet: 0,
  };
  let nursery: number[] = [];
  let nurseryUsed = 0;
  let oldUsed = 0;
  let now = 0;
  const lastUse = new Int32Array(g.n).fill(-1);
  for (let o = 0; o < g.n; o++) {
    for (let k = incoming.start[o]!; k < incoming.start[o + 1]!; k++)
      lastUse[o] = Math.max(lastUse[o]!, incoming.src[k]!);
  }
  const held = (o: number) => lastUse[o]! >= now;

  const minor = () => {
    let work = remset.length;
    const stack: number[] = [];
    const reach = (t: number) => {
      if (state[t] === YOUNG) {
        state[t] = OLD;
        stack.push(t);
      }
    };
    for (const r of g.roots) reach(r);
    for (const o of nursery) if (held(o)) reach(o);
    for (const o of remset) for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) reach(g.edges[i]!);
    while (stack.length > 0) {
      const o = stack.pop()!;
      work++;
      promotedOrder.push(o);
      oldUsed += aligned(g.size[o]!);
      stats.promotedBytes += aligned(g.size[o]!);
      for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
        work++;
        reach(g.edges[i]!);
      }
    }
    for (const o of nursery) if (state[o] === YOUNG) state[o] = DEAD;
    for (const o of remset) remembered[o] = 0;
    remset.length = 0;
    nursery = [];
    nurseryUsed = 0;
    stats.minorCollections++;
    pauses.push({ kind: "minor", work });
  };

  const major = (kind: "major" | "full") => {
    const marks = new Uint8Array(g.n);
    const alive = (o: number) => state[o] === OLD || state[o] === YOUNG;
    const liveRoots = [...g.roots.filter(alive)];
    for (const o of promotedOrder) if (alive(o) && held(o)) liveRoots.push(o);
    for (const o of nursery) if (alive(o) && held(o)) liveRoots.push(o);
    const { work } = markFromRoots({ ...g, roots: Int32Array.from(liveRoots) }, marks);
    let swept = 0;
    oldUsed = 0;
    for (const o of promotedOrder) {
      swept++;
      if (state[o] !== OLD) continue;
      if (marks[o] === 1) oldUsed += aligned(g.size[o]!);
      else state[o] = DEAD;
    }
    for (const o of nursery) if (marks[o] === 0 && state[o] === YOUNG) state[o] = DEAD;
    stats.majorCollections++;
    majorThreshold = Math.max(majorThreshold, 2 * oldUsed);
    pauses.push({ kind, work: work + swept });
  };

  for (let i = 0; i < g.n; i++) {
    now = i;
    const sz = aligned(g.size[i]!);
    if (nurseryUsed + sz > nurseryBytes && nursery.length > 0) {
      minor();
      if (oldUsed > majorThreshold) major("major");
    }
    state[i] = YOUNG;
    nursery.push(i);
    nurseryUsed += sz;
    // Stores of i into objects allocated earlier: the write barrier sees old → young.
    for (let k = incoming.start[i]!; k < incoming.start[i + 1]!; k++) {
      const src = incoming.src[k]!;
      if (src < i && state[src] === OLD && remembered[src] === 0) {
        remembered[src] = 1;
        remset.push(src);
        stats.barrierHits++;
        stats.maxRememberedSet = Math.max(stats.maxRememberedSet, remset.length);
      }
    }
  }
  now = g.n;
  minor();
  major("full");

  const live = new Uint8Array(g.n);
  const after = new Float64Array(g.n).fill(-1);
  let at = 0;
  for (const o of promotedOrder) {
    if (state[o] === OLD) {
      live[o] = 1;
      after[o] = at;
    }
    at += aligned(g.size[o]!);
  }
  const frag = fragmentationOf(g, live, promotedOrder);
  const heapBytes = nurseryBytes + Math.max(at, 1);
  const base = summariseTracing("generational", g, live, heapBytes, frag, pauses, after);
  return { ...base, generational: stats };
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
