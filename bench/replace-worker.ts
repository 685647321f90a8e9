/**
 * One measured case of bench/replace.bench.ts, in its own process so every policy runs
 * with fresh JIT state (as one `memsim replace` run does): the case as JSON in argv[2],
 * the result as JSON on stdout. Reads the file with
 * synchronous 1 MiB reads, parses it with the core parser, and simulates; the time covers
 * read + parse + simulate (+ the next-use pass for OPT). Best of `rounds`.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  createPolicy,
  createTraceParser,
  isFutureAware,
  LruStackDistance,
  nextUseTimes,
  type RefSink,
  ReplacementSim,
  type TraceFormat,
} from "@memsim/core";

export interface CaseSpec {
  readonly path: string;
  readonly format: TraceFormat;
  /** "mrc" runs the one-pass LRU stack-distance pass instead of a policy. */
  readonly policy: string;
  readonly frames: number;
  /** For "mrc": bound the stack at this depth (exact for sizes up to it). */
  readonly depth?: number;
  readonly rounds: number;
  readonly gzip?: boolean;
}

export interface CaseResult {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** CPU seconds of this process (user + system): what the run cost on a busy machine. */
  readonly cpuSeconds: number;
  readonly accesses: number;
  readonly misses: number;
}

function feed(spec: CaseSpec, sink: RefSink): void {
  const parser = createTraceParser(spec.format, sink, {});
  if (spec.gzip) {
    const bytes = gunzipSync(readFileSync(spec.path));
    for (let i = 0; i < bytes.length; i += 1 << 20) parser.push(bytes.subarray(i, i + (1 << 20)));
  } else {
    const fd = openSync(spec.path, "r");
    const buf = new Uint8Array(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const err = parser.push(buf.subarray(0, n));
      if (err) throw new Error(`${spec.path}:${err.line}: ${err.message}`);
    }
    closeSync(fd);
  }
  const err = parser.end();
  if (err) throw new Error(`${spec.path}:${err.line}: ${err.message}`);
}

function once(spec: CaseSpec): CaseResult {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (spec.policy === "mrc") {
    const sd = new LruStackDistance(1 << 16, spec.depth ?? Number.POSITIVE_INFINITY);
    feed(spec, (k, _w, n) => sd.push(k, n));
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, cpuSeconds: cpu(c0), accesses: sd.references, misses: sd.misses(spec.frames) };
  }
  const sim = new ReplacementSim(createPolicy(spec.policy, { capacity: spec.frames }));
  if (isFutureAware(sim.policy)) {
    let keys = new Float64Array(1 << 20);
    let count = 0;
    feed(spec, (k, _w, n) => {
      if (count + n > keys.length) {
        const bigger = new Float64Array(keys.length * 2);
        bigger.set(keys.subarray(0, count));
        keys = bigger;
      }
      keys.set(k.subarray(0, n), count);
      count += n;
    });
    const next = nextUseTimes(keys, count);
    sim.runWithFuture({ keys, count }, next);
  } else feed(spec, (keys, writes, count) => sim.run({ keys, writes, count }));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cpuSeconds: cpu(c0), accesses: sim.accesses, misses: sim.misses };
}

function cpu(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

if (process.argv[2] !== undefined) {
  const spec = JSON.parse(process.argv[2]) as CaseSpec;
  let best: CaseResult | undefined;
  for (let r = 0; r < spec.rounds; r++) {
    const res = once(spec);
    if (best === undefined || res.seconds < best.seconds) best = res;
  }
  process.stdout.write(JSON.stringify(best));
}
