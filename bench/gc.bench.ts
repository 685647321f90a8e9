/**
 * The cycle collector at scale, side by side with CPython: a full collection over 1,000,000
 * objects of which 10% are garbage in two-object cycles (live objects: chains of 100 held by
 * one root list), and young-generation collections (700 new objects, 70 in cycles, then
 * gc.collect(0)). The CPython side runs bench/gc-peer.py with python3 on the same shape.
 * Also: the tracing collectors over the same graph, for contrast.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  generational,
  graphFromRuntime,
  type HeapGraph,
  markCompact,
  markSweep,
  type ObjId,
  PyRuntime,
  semispace,
} from "@memsim/core";
import type { BenchRow, BenchSuite } from "./lib.js";

const N = 1_000_000;
const GARBAGE = 0.1;
const YOUNG_ROUNDS = 100;
/** Untimed rounds first: V8 compiles the collector's loops (CPython runs them the same). */
const YOUNG_WARMUP = 20;

interface Peer {
  full_s: number;
  full_cpu_s: number;
  young_cpu_s: number;
  collected: number;
  young_s: number;
  young_median_s: number;
  young_found: number;
}

/** The graph of the bench; `extra` objects more fit in the object table without growing it. */
function build(n: number, frac: number, extra = 0): { rt: PyRuntime; node: ObjId } {
  const rt = new PyRuntime({ capacity: n + extra + 4096 });
  rt.gc.disable();
  const node = rt.newClass({ name: "Node" });
  rt.assign("Node", node);
  const roots = rt.newList();
  rt.assign("roots", roots);
  const garbage = Math.floor((n * frac) / 2) * 2;
  const chains = Math.floor((n - garbage) / 100);
  for (let c = 0; c < chains; c++) {
    const head = rt.newInstance(node);
    let cur = head;
    for (let k = 0; k < 99; k++) {
      const next = rt.newInstance(node);
      rt.setAttr(cur, "next", next);
      rt.decref(next);
      cur = next;
    }
    rt.listAppend(roots, head);
    rt.decref(head);
  }
  for (let p = 0; p < garbage / 2; p++) pair(rt, node, true);
  return { rt, node };
}

/** Two instances referring to each other; dropped unless `keep` is false (then returned). */
function pair(rt: PyRuntime, node: ObjId, drop: boolean): [ObjId, ObjId] {
  const a = rt.newInstance(node);
  const b = rt.newInstance(node);
  rt.setAttr(a, "other", b);
  rt.setAttr(b, "other", a);
  if (drop) {
    rt.decref(a);
    rt.decref(b);
  }
  return [a, b];
}

/** CPU time of this process in ms (user + system), less disturbed than wall time on a busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function fullCollection(): { ms: number; cpuMs: number; collected: number; graph: HeapGraph | null } {
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let collected = 0;
  let graph: HeapGraph | null = null;
  for (let round = 0; round < 3; round++) {
    const { rt } = build(N, GARBAGE);
    if (round === 0) graph = graphFromRuntime(rt);
    const c0 = cpuMs();
    const t0 = performance.now();
    collected = rt.gc.collect();
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, cpuMs() - c0);
  }
  return { ms: best, cpuMs: bestCpu, collected, graph };
}

/** Like the peer: 630 kept objects and 35 pairs per round; the last pair is still held by locals. */
function youngCollections(): { us: number; medianUs: number; cpuUs: number; found: number } {
  // Room for every object of the rounds: the table never doubles inside the timed loop.
  const { rt, node } = build(N, GARBAGE, (YOUNG_WARMUP + YOUNG_ROUNDS) * 700);
  rt.gc.collect();
  const keep = rt.newList();
  rt.assign("keep", keep);
  const times: number[] = [];
  let cpu = 0;
  let found = 0;
  for (let r = 0; r < YOUNG_WARMUP + YOUNG_ROUNDS; r++) {
    for (let i = 0; i < 630; i++) {
      const o = rt.newInstance(node);
      rt.listAppend(keep, o);
      rt.decref(o);
    }
    let last: [ObjId, ObjId] = [-1, -1];
    for (let p = 0; p < 35; p++) {
      if (last[0] >= 0) {
        rt.decref(last[0]);
        rt.decref(last[1]);
      }
      last = pair(rt, node, false);
    }
    const c0 = cpuMs();
    const t0 = performance.now();
    const n = rt.gc.collect(0);
    const us = (performance.now() - t0) * 1000;
    if (r >= YOUNG_WARMUP) {
      times.push(us);
      cpu += (cpuMs() - c0) * 1000;
      found += n;
    }
    rt.decref(last[0]);
    rt.decref(last[1]);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { us: mean, medianUs: sorted[sorted.length >> 1]!, cpuUs: cpu / YOUNG_ROUNDS, found };
}

function runPeer(): Peer | null {
  const script = fileURLToPath(new URL("./gc-peer.py", import.meta.url));
  try {
    const out = execFileSync(
      "python3",
      [script, String(N), String(GARBAGE), String(YOUNG_ROUNDS), String(YOUNG_WARMUP)],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    return JSON.parse(out) as Peer;
  } catch {
    return null;
  }
}

function timeTracing(g: HeapGraph, fn: (g: HeapGraph) => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn(g);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export const suite: BenchSuite = {
  name: "gc",
  description:
    "cycle collector: full collection of 1M objects (10% cyclic garbage) and gen0 collections vs CPython 3.11",
  async run(): Promise<BenchRow[]> {
    const peer = runPeer();
    const full = fullCollection();
    const young = youngCollections();
    const rows: BenchRow[] = [
      {
        case: `gc.collect() full, ${N / 1e6}M objects, 10% in cycles`,
        value: full.ms,
        unit: "ms",
        ...(peer ? { target: peer.full_s * 1000, peer: { name: "CPython", value: peer.full_s * 1000 } } : {}),
        note: `collected ${full.collected}${peer ? ` (CPython ${peer.collected})` : ""}`,
      },
      {
        case: `gc.collect() full, CPU time`,
        value: full.cpuMs,
        unit: "ms",
        ...(peer ? { peer: { name: "CPython", value: peer.full_cpu_s * 1000 } } : {}),
      },
      {
        case: `gc.collect(0) young, 700 new objects over a 0.9M-object heap`,
        value: young.us,
        unit: "us",
        ...(peer ? { peer: { name: "CPython", value: peer.young_s * 1e6 } } : {}),
        note: `mean; found ${young.found} in ${YOUNG_ROUNDS} rounds${peer ? ` (CPython ${peer.young_found})` : ""}`,
      },
      {
        case: `gc.collect(0) young, median of ${YOUNG_ROUNDS} rounds`,
        value: young.medianUs,
        unit: "us",
        ...(peer ? { peer: { name: "CPython", value: peer.young_median_s * 1e6 } } : {}),
      },
    ];
    if (full.graph !== null) {
      const g = full.graph;
      const collectors: [string, (g: HeapGraph) => unknown][] = [
        ["mark-sweep", markSweep],
        ["mark-compact", markCompact],
        ["semispace", semispace],
        ["generational", (x) => generational(x)],
      ];
      for (const [name, fn] of collectors) {
        rows.push({
          case: `${name} over the same ${g.n}-object graph`,
          value: timeTracing(g, fn),
          unit: "ms",
        });
      }
    }
    if (peer === null) rows[0] = { ...rows[0]!, note: "python3 not found: no CPython peer" };
    return rows;
  },
};
