/**
 * Runs many (policy, frames) simulations over one trace: streamed once, every batch fed
 * to every simulator. OPT needs the future, so when it is asked for the references are
 * kept in memory and its next-use times computed in one backward pass. Each row times its
 * own simulator, so its requests/s is the policy's speed, not the parser's.
 * A named file is read and parsed in a second thread while this one simulates (parse-ahead.ts);
 * standard input, runs from the TypeScript sources and one-core machines parse in this thread.
 * `runSweepParallel` splits the runs over worker threads (each streams the file itself).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  createPolicy,
  isFutureAware,
  narrowIndexFits,
  nextUseTimes,
  type PolicyOptions,
  ReplacementSim,
  type TraceOptions,
} from "@memsim/core";
import { UsageError } from "./io.js";
import { parseAheadAvailable, streamTraceAhead } from "./parse-ahead.js";
import { type FormatChoice, type ProgressFn, streamTrace, type TraceStreamer } from "./trace-source.js";

export interface SweepRun {
  readonly policy: string;
  readonly frames: number;
}

export interface SweepJob {
  readonly path: string;
  readonly format: FormatChoice;
  readonly trace: TraceOptions;
  readonly policyOptions: Omit<PolicyOptions, "capacity">;
  readonly runs: readonly SweepRun[];
  /** Parse a named file in a second thread when the worker script is built (default true). */
  readonly parseAhead?: boolean;
}

/** One result row. `seconds` is the time spent in this run's simulator. */
export interface SweepRow {
  readonly policy: string;
  readonly frames: number;
  readonly accesses: number;
  readonly hits: number;
  readonly misses: number;
  readonly missRatio: number;
  readonly writebacks: number;
  readonly seconds: number;
}

/**
 * How to stream `path` on this machine: parsing in a second thread (`streamTraceAhead`)
 * for a named file when the worker script is built and there is a second core to run it
 * on; otherwise in this thread (`streamTrace`). Both give the same batches and errors.
 */
export function streamerFor(path: string, allowAhead = true): TraceStreamer {
  return allowAhead && parsesAhead(path) ? streamTraceAhead : streamTrace;
}

/** True when `streamerFor(path)` parses in a second thread. */
export function parsesAhead(path: string): boolean {
  // One core: the parse thread could only take turns with the simulator.
  return path !== "-" && parseAheadAvailable() && availableParallelism() > 1;
}

/**
 * Grows to hold a whole trace (for OPT). Told how far through the file the reading is
 * (`expect`), it grows straight to the size that the references so far predict, with a
 * little room, instead of doubling (each doubling copies everything held so far).
 */
class RefStore {
  keys = new Float64Array(1 << 16);
  writes = new Uint8Array(1 << 16);
  count = 0;
  anyWrite = false;
  private expected = 0;

  /** `read` of `total` bytes held `references` references. */
  expect(read: number, total: number, references: number): void {
    if (read > 0 && total >= read) this.expected = Math.ceil(((references * total) / read) * 1.01) + 1024;
  }

  add(keys: Float64Array, writes: Uint8Array | undefined, n: number): void {
    if (this.count + n > this.keys.length) {
      let size = this.keys.length;
      if (this.expected >= this.count + n) size = Math.ceil(this.expected);
      while (size < this.count + n) size *= 2;
      const k = new Float64Array(size);
      k.set(this.keys.subarray(0, this.count));
      const w = new Uint8Array(size);
      w.set(this.writes.subarray(0, this.count));
      this.keys = k;
      this.writes = w;
    }
    this.keys.set(keys.subarray(0, n), this.count);
    if (writes) {
      this.writes.set(writes.subarray(0, n), this.count);
      this.anyWrite = true;
    }
    this.count += n;
  }
}

/** Runs every simulation of `job` in this thread. */
export async function runSweep(job: SweepJob, progress?: ProgressFn): Promise<SweepRow[]> {
  const policies = job.runs.map((r) => makePolicy(r, job));
  // Several engines in one thread: their index tables together outgrow the caches and the
  // TLB, and bringing each block's entries in ahead pays for every policy (1.4-1.6x).
  const several = policies.filter((p) => !isFutureAware(p)).length > 1;
  // One index kind per thread (16-bit entries only if every engine can take them).
  const narrowIndex = policies.every(narrowIndexFits);
  const sims = policies.map(
    (p) => new ReplacementSim(p, several ? { warmIndex: true, narrowIndex } : { narrowIndex }),
  );
  const time = new Float64Array(sims.length);
  const streaming = sims.filter((s) => !isFutureAware(s.policy));
  const future = sims.filter((s) => isFutureAware(s.policy));
  const store = future.length > 0 ? new RefStore() : undefined;
  // OPT simulates only once the whole trace is in: a parse thread would have nothing to
  // run beside, and costs it the cache its tables then need.
  await streamerFor(job.path, job.parseAhead !== false && streaming.length > 0)(
    job.path,
    job.format,
    job.trace,
    (keys, writes, count) => {
      const batch = { keys, writes, count };
      for (const sim of streaming) {
        const t0 = performance.now();
        sim.run(batch);
        time[sims.indexOf(sim)]! += performance.now() - t0;
      }
      store?.add(keys, writes, count);
    },
    store === undefined
      ? progress
      : (read, total, references) => {
          if (total !== undefined && references !== undefined) store.expect(read, total, references);
          progress?.(read, total, references);
        },
  );
  if (store !== undefined) {
    const t0 = performance.now();
    const next = nextUseTimes(store.keys, store.count);
    const nextMs = performance.now() - t0;
    const batch = { keys: store.keys, count: store.count, writes: store.anyWrite ? store.writes : undefined };
    for (const sim of future) {
      const t1 = performance.now();
      sim.runWithFuture(batch, next);
      // Each OPT run is charged the shared next-use pass too.
      time[sims.indexOf(sim)] = performance.now() - t1 + nextMs;
    }
  }
  return sims.map((sim, i) => {
    const s = sim.stats();
    return {
      policy: sim.policy.name,
      frames: sim.capacity,
      accesses: s.accesses,
      hits: s.hits,
      misses: s.misses,
      missRatio: s.accesses === 0 ? 0 : s.misses / s.accesses,
      writebacks: s.writebacks,
      seconds: time[i]! / 1000,
    };
  });
}

function makePolicy(run: SweepRun, job: SweepJob) {
  try {
    return createPolicy(run.policy, { ...job.policyOptions, capacity: run.frames });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Messages from a sweep worker. */
export type WorkerMessage =
  | { readonly kind: "progress"; readonly bytes: number; readonly total: number | undefined }
  | { readonly kind: "done"; readonly rows: SweepRow[] }
  | { readonly kind: "error"; readonly message: string; readonly usage: boolean };

/** Worker threads to use by default: the machine's parallelism. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Whether each of `workers` sweep workers should parse in a thread of its own: only when
 * every parse thread has a core to spare. With fewer cores the simulators and parse
 * threads take turns, and the extra thread's start and copies are a loss (measured on 2
 * cores with 2 workers).
 */
export function parseAheadInWorkers(workers: number): boolean {
  return availableParallelism() >= 2 * workers;
}

/**
 * Runs `job` split over up to `jobs` worker threads (runs dealt round-robin, OPT runs and
 * the heaviest sizes spread first), preserving the order of `job.runs` in the result.
 * Falls back to this thread for one job, standard input, or when the worker script is not
 * built (running from sources).
 */
export async function runSweepParallel(
  job: SweepJob,
  jobs: number,
  progress?: ProgressFn,
): Promise<SweepRow[]> {
  const workerUrl = new URL("./workers/sweep-worker.js", import.meta.url);
  const n = Math.min(jobs, job.runs.length);
  if (n <= 1 || job.path === "-" || import.meta.url.endsWith(".ts")) return runSweep(job, progress);
  const order = job.runs.map((r, i) => ({ r, i })).sort((a, b) => b.r.frames - a.r.frames);
  const parts: { r: SweepRun; i: number }[][] = Array.from({ length: n }, () => []);
  for (const [k, x] of order.entries()) parts[k % n]!.push(x);
  const bytes = new Float64Array(n);
  const parseAhead = job.parseAhead !== false && parseAheadInWorkers(n);
  const results = await Promise.all(
    parts.map(
      (part, w) =>
        new Promise<SweepRow[]>((resolve, reject) => {
          const worker = new Worker(workerUrl, {
            workerData: { ...job, runs: part.map((x) => x.r), parseAhead } satisfies SweepJob,
          });
          worker.on("message", (m: WorkerMessage) => {
            if (m.kind === "progress") {
              bytes[w] = m.bytes;
              if (w === 0) progress?.(Math.min(...bytes), m.total);
            } else if (m.kind === "done") resolve(m.rows);
            else reject(m.usage ? new UsageError(m.message) : new Error(m.message));
          });
          worker.on("error", reject);
          worker.on("exit", (code) => {
            if (code !== 0) reject(new Error(`sweep worker exited with code ${code}`));
          });
        }),
    ),
  );
  const rows: SweepRow[] = new Array(job.runs.length);
  parts.forEach((part, w) => {
    part.forEach((x, k) => {
      rows[x.i] = results[w]![k]!;
    });
  });
  return rows;
}
