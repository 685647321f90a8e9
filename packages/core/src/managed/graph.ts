/**
 * An object graph for the tracing collectors: nodes with sizes, references in compressed
 * sparse rows (node i's references are edges[edgeStart[i] .. edgeStart[i+1])), and roots.
 * Node order is allocation order, which is also the heap layout the collectors start from.
 */

import type { PyRuntime } from "./runtime.js";
import { F_STATIC, Kind, NULL_REF, type ObjId } from "./space.js";

/** A snapshot of objects and references, for the tracing collectors. */
export interface HeapGraph {
  readonly n: number;
  /** Bytes of each node. */
  readonly size: Int32Array;
  /** n + 1 offsets into `edges`. */
  readonly edgeStart: Int32Array;
  readonly edges: Int32Array;
  readonly roots: Int32Array;
  /** The runtime object of each node (identity when built from plain lists). */
  readonly ids: Int32Array;
  /** A label per root (the global name), for "why is this alive" paths. */
  readonly rootNames?: readonly string[];
}

/**
 * Builds a graph from adjacency lists. `refs[i]` are node i's references (indices < n).
 * Precondition: every index is in range; otherwise a RangeError names the bad edge.
 */
export function graphFromLists(
  sizes: readonly number[],
  refs: readonly (readonly number[])[],
  roots: readonly number[],
): HeapGraph {
  const n = sizes.length;
  const edgeStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) edgeStart[i + 1] = edgeStart[i]! + (refs[i]?.length ?? 0);
  const edges = new Int32Array(edgeStart[n]!);
  for (let i = 0; i < n; i++) {
    (refs[i] ?? []).forEach((t, k) => {
      if (t < 0 || t >= n) throw new RangeError(`graph: node ${i} refers to ${t}, outside 0..${n - 1}`);
      edges[edgeStart[i]! + k] = t;
    });
  }
  for (const r of roots) if (r < 0 || r >= n) throw new RangeError(`graph: root ${r} outside 0..${n - 1}`);
  return {
    n,
    size: Int32Array.from(sizes),
    edgeStart,
    edges,
    roots: Int32Array.from(roots),
    ids: Int32Array.from({ length: n }, (_, i) => i),
  };
}

/**
 * The runtime's objects as a graph (static objects — None, bools, small ints — left out).
 * Roots are the global names plus every object referenced from outside the heap: its
 * refcount exceeds the references other objects hold to it (a caller's temporary, a frame).
 */
export function graphFromRuntime(rt: PyRuntime): HeapGraph {
  const s = rt.space;
  const node = new Int32Array(s.top).fill(-1);
  const ids: number[] = [];
  for (let o = 0; o < s.top; o++) {
    if (!s.isLive(o) || (s.flags[o]! & F_STATIC) !== 0) continue;
    node[o] = ids.length;
    ids.push(o);
  }
  const internal = new Int32Array(s.top);
  const sizes: number[] = [];
  const refs: number[][] = [];
  for (const o of ids) {
    sizes.push(s.bytes[o]! + s.bytes2[o]!);
    const out: number[] = [];
    for (const t of s.referents(o)) {
      internal[t]!++;
      if (node[t]! >= 0) out.push(node[t]!);
    }
    refs.push(out);
  }
  const rootSet = new Map<number, string>();
  for (const [name, o] of rt.names) if (node[o]! >= 0) rootSet.set(node[o]!, name);
  for (const o of ids) {
    if (s.refcnt[o]! > internal[o]! && !rootSet.has(node[o]!)) rootSet.set(node[o]!, "<external>");
  }
  const roots = [...rootSet.keys()];
  const g = graphFromLists(sizes, refs, roots);
  return { ...g, ids: Int32Array.from(ids), rootNames: roots.map((r) => rootSet.get(r)!) };
}

/** Marks every node reachable from the roots (iterative, explicit stack). Returns marks and work. */
export function markFromRoots(
  g: HeapGraph,
  marks: Uint8Array = new Uint8Array(g.n),
): { marks: Uint8Array; work: number } {
  const stack = new Int32Array(g.n + g.roots.length);
  let sp = 0;
  let work = 0;
  for (const r of g.roots) {
    if (marks[r] === 0) {
      marks[r] = 1;
      stack[sp++] = r;
    }
  }
  while (sp > 0) {
    const o = stack[--sp]!;
    work++;
    for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
      const t = g.edges[i]!;
      work++;
      if (marks[t] === 0) {
        marks[t] = 1;
        stack[sp++] = t;
      }
    }
  }
  return { marks, work };
}

/** Why is `target` alive: the shortest path of nodes from a root to it, or null if unreachable. */
export function whyAlive(g: HeapGraph, target: number): { root: string; path: number[] } | null {
  const parent = new Int32Array(g.n).fill(-2);
  const queue = new Int32Array(g.n);
  let head = 0;
  let tail = 0;
  g.roots.forEach((r) => {
    if (parent[r] === -2) {
      parent[r] = -1;
      queue[tail++] = r;
    }
  });
  while (head < tail) {
    const o = queue[head++]!;
    if (o === target) break;
    for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
      const t = g.edges[i]!;
      if (parent[t] === -2) {
        parent[t] = o;
        queue[tail++] = t;
      }
    }
  }
  if (parent[target] === -2) return null;
  const path: number[] = [];
  for (let o = target; o !== -1; o = parent[o]!) path.push(o);
  path.reverse();
  const ri = g.roots.indexOf(path[0]!);
  return { root: g.rootNames?.[ri] ?? `root ${path[0]}`, path };
}

/** "Why is this object alive" in a runtime: the root (a global name or `<external>`) and the object path. */
export function whyAliveObject(rt: PyRuntime, o: ObjId): { root: string; path: ObjId[] } | null {
  const g = graphFromRuntime(rt);
  const target = g.ids.indexOf(o);
  if (target < 0 || rt.space.kind[o] === Kind.FREE || o === NULL_REF) return null;
  const r = whyAlive(g, target);
  return r === null ? null : { root: r.root, path: r.path.map((i) => g.ids[i]!) };
}
