/**
 * Heap allocators on one pre-generated schedule, side by side with two JavaScript
 * allocators: @thi.ng/malloc (MemPool) and @libmedia/cheap (AllocatorJS, best fit over a
 * skip list). The schedule: 10,000 mallocs to build the live set, then free-a-random-block /
 * malloc-a-new-one pairs up to 1,000,000 operations; sizes uniform 8–512 B, and a second
 * profile 8–64 KiB. Speed is measured in a clean pass; fragmentation (Johnstone and
 * Wilson's measures, from the memory each allocator spans) in a second, sampled pass.
 *
 * The list-searching policies (first/next/best/worst fit) and @thi.ng/malloc search linear
 * lists of thousands of blocks, so by default they run the first 100,000 operations of the
 * small-size schedule and 50,000 of the large one (past the 10,000-block fill, in steady
 * state); HEAP_BENCH_FULL=1 runs them over the whole million. Also: replaying the largest
 * real allocation log.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  ArenaBacking,
  createAllocator,
  detectMallocLogFormat,
  FastRng,
  FragmentationMeter,
  HEAP_POLICIES,
  mallocLogParser,
  replayMallocTrace,
} from "@memsim/core";
import type { BenchRow, BenchSuite } from "./lib.js";

const OPS = 1_000_000;
const LIVE = 10_000;
const SHORT = 100_000;
const FULL = process.env.HEAP_BENCH_FULL === "1";
/** HEAP_BENCH_POLICIES=tlsf,segregated limits our side to those policies (peers always run). */
const ONLY = process.env.HEAP_BENCH_POLICIES?.split(",");

interface Schedule {
  readonly label: string;
  readonly sizes: Int32Array;
  readonly picks: Int32Array;
}

function schedule(label: string, lo: number, hi: number, seed: number): Schedule {
  const rng = new FastRng(seed);
  const sizes = new Int32Array(OPS);
  const picks = new Int32Array(OPS);
  for (let i = 0; i < OPS; i++) {
    sizes[i] = lo + rng.below(hi - lo + 1);
    picks[i] = rng.below(LIVE);
  }
  return { label, sizes, picks };
}

/** The two calls a driver needs; `span()` is the memory the allocator holds or spans. */
interface Subject {
  malloc(n: number): number;
  free(p: number): void;
  span(): number;
}

type Driver = (s: Subject, sch: Schedule, ops: number, meter?: FragmentationMeter) => number;

/**
 * A fresh copy of the driver loop, which runs `ops` operations of the schedule (with a
 * meter, sampling live bytes and span after each). Each subject gets its own copy, so the
 * loop's call sites see one allocator only (V8 keeps type feedback per closure) and no
 * subject pays for another's calls.
 */
function makeDriver(): Driver {
  return function drive(s: Subject, sch: Schedule, ops: number, meter?: FragmentationMeter): number {
    const slots = new Float64Array(LIVE);
    const sizeOf = new Float64Array(LIVE);
    let done = 0;
    let live = 0;
    for (let i = 0; i < LIVE; i++) {
      sizeOf[i] = sch.sizes[i]!;
      slots[i] = s.malloc(sizeOf[i]!);
      if (slots[i] === 0) throw new Error(`malloc failed during fill at ${i}`);
      live += sizeOf[i]!;
      done++;
      meter?.sample(live, s.span());
    }
    for (let i = LIVE; done < ops; i++) {
      const k = sch.picks[i]!;
      s.free(slots[k]!);
      live -= sizeOf[k]!;
      meter?.sample(live, s.span());
      sizeOf[k] = sch.sizes[i]!;
      slots[k] = s.malloc(sizeOf[k]!);
      if (slots[k] === 0) throw new Error(`malloc failed at op ${done}`);
      live += sizeOf[k]!;
      meter?.sample(live, s.span());
      done += 2;
    }
    return done;
  };
}

type Factory = () => Subject;

/** Ours over an arena reserved up front, as the peers get their whole buffer up front. */
function ours(policy: string, reserve: number): Factory {
  return () => {
    const a = createAllocator(policy, new ArenaBacking({ maxHeap: 2 ** 31 - 2 ** 20, reserve }), {
      mmapThreshold: Number.POSITIVE_INFINITY,
    })!;
    return { malloc: (n) => a.malloc(n), free: (p) => a.free(p), span: () => a.footprint() };
  };
}

/** A span for allocators that never give memory back: the highest block end so far. */
function highWater(malloc: (n: number) => number, free: (p: number) => void, base: number): Subject {
  let top = 0;
  return {
    malloc: (n) => {
      const p = malloc(n);
      if (p + n > top) top = p + n;
      return p;
    },
    free,
    span: () => top - base,
  };
}

interface ThingPool {
  malloc(n: number): number;
  free(p: number): boolean;
}
interface CheapAllocator {
  malloc(n: number): number;
  free(p: number): void;
  heapOffset: number;
}

async function peers(bytes: number): Promise<Record<string, Factory>> {
  const thing = (await import("@thi.ng/malloc")) as unknown as {
    MemPool: new (o: { size: number }) => ThingPool;
  };
  const cheapUrl = new URL(
    "../node_modules/@libmedia/cheap/dist/mjs/allocator/AllocatorJS.js",
    import.meta.url,
  );
  const Cheap = (
    (await import(cheapUrl.href)) as { default: new (o: { buffer: ArrayBuffer }) => CheapAllocator }
  ).default;
  return {
    "@thi.ng/malloc": () => {
      const pool = new thing.MemPool({ size: bytes });
      return highWater(
        (n) => pool.malloc(n),
        (p) => void pool.free(p),
        0,
      );
    },
    "@libmedia/cheap": () => {
      const c = new Cheap({ buffer: new ArrayBuffer(bytes) });
      return highWater(
        (n) => c.malloc(n),
        (p) => c.free(p),
        c.heapOffset,
      );
    },
  };
}

interface Measured {
  readonly opsPerSec: number;
  /** Operations per second of process CPU time: steadier than wall time on a busy machine. */
  readonly cpuOpsPerSec: number;
  readonly f: ReturnType<FragmentationMeter["measures"]>;
}

function measure(make: Factory, sch: Schedule, ops: number): Measured {
  const driver = makeDriver();
  let best = 0;
  let bestCpu = 0;
  for (let round = 0; round < 2; round++) {
    const s = make();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const n = driver(s, sch, ops);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    best = Math.max(best, (n * 1000) / wall);
    bestCpu = Math.max(bestCpu, (n * 1e6) / (c.user + c.system));
  }
  const meter = new FragmentationMeter();
  driver(make(), sch, ops, meter);
  return { opsPerSec: best, cpuOpsPerSec: bestCpu, f: meter.measures() };
}

const fmtF = (f: { f1: number; f2: number; f3: number; f4: number }) =>
  `frag #1 ${f.f1.toFixed(1)}% #2 ${f.f2.toFixed(1)}% #3 ${f.f3.toFixed(1)}% #4 ${f.f4.toFixed(1)}%`;

async function profileRows(sch: Schedule, arena: number, short: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const peer = await peers(arena);
  const slow = (name: string) => name.endsWith("-fit") || name === "@thi.ng/malloc";
  const results = new Map<string, Measured & { ops: number }>();
  // The O(1) policies run first. Six of our policies share the boundary-tag code, and V8
  // keeps one set of type feedback per function: once four or more allocator classes have
  // been through it, its calls into the free-list index turn megamorphic and every policy
  // measured afterwards runs that code slower (TLSF: about 5.9M instead of 8.8M ops/s of
  // CPU time here). A program uses one malloc; measuring each before the others pollute
  // the shared code is what it would see.
  const mine = HEAP_POLICIES.filter((p) => ONLY === undefined || ONLY.includes(p)).sort(
    (a, b) => Number(a.endsWith("-fit")) - Number(b.endsWith("-fit")),
  );
  const subjects: [string, Factory][] = [
    ...mine.filter((p) => !p.endsWith("-fit")).map((p) => [p, ours(p, arena)] as [string, Factory]),
    ...Object.entries(peer),
    ...mine.filter((p) => p.endsWith("-fit")).map((p) => [p, ours(p, arena)] as [string, Factory]),
  ];
  for (const [name, make] of subjects) {
    const ops = slow(name) && !FULL ? short : OPS;
    process.stderr.write(`  ${sch.label} ${name} (${ops} ops)\n`);
    results.set(name, { ...measure(make, sch, ops), ops });
  }
  const cheap = results.get("@libmedia/cheap")!;
  for (const [name, r] of results) {
    const target = name === "tlsf" || name === "segregated" ? Math.max(6e6, 2 * cheap.opsPerSec) : undefined;
    rows.push({
      case: `${name}, ${sch.label}`,
      value: r.opsPerSec,
      unit: "ops/s",
      ...(target !== undefined ? { target } : {}),
      ...(name !== "@libmedia/cheap" ? { peer: { name: "cheap", value: cheap.opsPerSec } } : {}),
      note: `${r.ops === OPS ? "1M" : `first ${r.ops / 1000}k`} ops; cpu ${(r.cpuOpsPerSec / 1e6).toFixed(2)}M ops/s (cheap ${(cheap.cpuOpsPerSec / 1e6).toFixed(2)}M); ${fmtF(r.f)}`,
    });
  }
  for (const [name, r] of results) {
    rows.push({
      case: `${name}, ${sch.label}, fragmentation #4`,
      value: r.f.f4,
      unit: "%",
      ...(name !== "@libmedia/cheap" ? { peer: { name: "cheap", value: cheap.f.f4 } } : {}),
      note: `thi.ng #4 ${results.get("@thi.ng/malloc")!.f.f4.toFixed(1)}%`,
    });
  }
  return rows;
}

function replayRows(): BenchRow[] {
  const file = new URL("../../shared/fixtures/traces/malloc_gcc.log.gz", import.meta.url);
  let text: string;
  try {
    text = gunzipSync(readFileSync(file)).toString("utf8");
  } catch {
    return [];
  }
  const t0 = performance.now();
  const lines = text.split("\n");
  const parser = mallocLogParser(detectMallocLogFormat(lines[0]!)!);
  lines.forEach((l, i) => {
    parser.line(l, i + 1);
  });
  const trace = parser.finish()[0]!;
  const parseMs = performance.now() - t0;
  const rows: BenchRow[] = [
    { case: "malloc_gcc.log.gz: parse", value: parseMs, unit: "ms", note: `${trace.length} events` },
  ];
  for (const p of HEAP_POLICIES) {
    const r = replayMallocTrace(trace, p, { clock: () => performance.now() })!;
    rows.push({
      case: `malloc_gcc.log.gz: replay ${p}`,
      value: r.opsPerSecond!,
      unit: "ops/s",
      note: `${(r.seconds! * 1000).toFixed(0)} ms; peak footprint ${r.peakFootprint}; ${fmtF(r.fragmentation)}; search ${r.meanSearchLength.toFixed(2)}`,
    });
  }
  return rows;
}

export const suite: BenchSuite = {
  name: "heap",
  description:
    "malloc/free schedules (1M ops, 10k live) vs @thi.ng/malloc and @libmedia/cheap; real-log replay",
  async run() {
    const small = schedule("8–512 B", 8, 512, 1);
    const large = schedule("8–64 KiB", 8, 64 * 1024, 2);
    return [
      ...(await profileRows(small, 64 << 20, SHORT)),
      ...(await profileRows(large, 1 << 30, SHORT / 2)),
      ...replayRows(),
    ];
  },
};
