/**
 * `memsim malloc TRACE --policy P[,P2…] [--pid N] [--json]`: replays a real allocation log
 * (Valgrind --trace-malloc=yes, or glibc mtrace; gzip/zstd read transparently) through each
 * allocator policy and prints one row per process and policy: operations, peak live
 * bytes, peak footprint, Johnstone and Wilson's four fragmentation measures, mean
 * free-list search length and operations per second.
 */
import {
  detectMallocLogFormat,
  formatInputError,
  HEAP_POLICIES,
  type HeapOptions,
  type MallocLogFormat,
  type MallocLogParser,
  type MallocTrace,
  mallocLogParser,
  type ReplayResult,
  replayMallocTrace,
} from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { readLines } from "../input.js";
import { UsageError } from "../io.js";

interface MallocFlags {
  policy?: string;
  pid?: string;
  json?: boolean;
  format: string;
  mmapThreshold?: string;
  trimThreshold?: string;
}

/** Parses the log at `path` into one trace per process; bad lines become a UsageError. */
export async function readMallocLog(path: string, format: MallocLogFormat | "auto"): Promise<MallocTrace[]> {
  let parser: MallocLogParser | undefined = format === "auto" ? undefined : mallocLogParser(format);
  for await (const [line, no] of readLines(path)) {
    if (!parser) {
      if (line.trim() === "") continue;
      const f = detectMallocLogFormat(line);
      if (!f)
        throw new UsageError(
          `${path}:${no}: expected a Valgrind --trace-malloc=yes log or a glibc mtrace log, found "${line.slice(0, 60)}"`,
        );
      parser = mallocLogParser(f);
    }
    const e = parser.line(line, no);
    if (e) throw new UsageError(formatInputError(path, e));
  }
  return parser ? parser.finish() : [];
}

function policies(spec: string | undefined): string[] {
  const names = (spec ?? HEAP_POLICIES.join(",")).split(",").map((s) => s.trim());
  for (const n of names) {
    const base = n.endsWith("-lifo") ? n.slice(0, -5) : n;
    if (!HEAP_POLICIES.includes(base) || (n !== base && !base.endsWith("-fit")))
      throw new UsageError(
        `malloc: unknown policy '${n}' (expected one of: ${HEAP_POLICIES.join(", ")}, or NAME-lifo for the -fit policies)`,
      );
  }
  return names;
}

function byteCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)([kmg]?)$/i.exec(value.trim());
  if (!m)
    throw new UsageError(
      `malloc: ${flag} expects a size in bytes (k/m/g suffixes allowed), found '${value}'`,
    );
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * unit;
}

function heapOptions(o: MallocFlags): HeapOptions {
  const mmap = byteCount("--mmap-threshold", o.mmapThreshold);
  const trim = byteCount("--trim-threshold", o.trimThreshold);
  return {
    ...(mmap !== undefined ? { mmapThreshold: mmap } : {}),
    ...(trim !== undefined ? { trimThreshold: trim } : {}),
  };
}

function pct(x: number): string {
  return x.toFixed(1) + "%";
}

function rate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return x >= 1e6 ? (x / 1e6).toFixed(2) + "M" : x >= 1e3 ? (x / 1e3).toFixed(1) + "k" : x.toFixed(0);
}

function table(rows: readonly ReplayResult[]): string {
  const head = [
    "pid",
    "policy",
    "ops",
    "peak live",
    "peak footprint",
    "frag#1",
    "frag#2",
    "frag#3",
    "frag#4",
    "search",
    "ops/s",
  ];
  const body = rows.map((r) => [
    String(r.pid),
    r.policy,
    String(r.operations),
    String(r.peakLiveBytes),
    String(r.peakFootprint),
    pct(r.fragmentation.f1),
    pct(r.fragmentation.f2),
    pct(r.fragmentation.f3),
    pct(r.fragmentation.f4),
    r.meanSearchLength.toFixed(2),
    rate(r.opsPerSecond),
  ]);
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return (
    all.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ")).join("\n") +
    "\n"
  );
}

async function runMalloc(ctx: CommandContext, file: string, o: MallocFlags): Promise<void> {
  if (!["auto", "valgrind", "mtrace"].includes(o.format))
    throw new UsageError(`malloc: --format expects auto, valgrind or mtrace, found '${o.format}'`);
  const names = policies(o.policy);
  const heap = heapOptions(o);
  let traces = await readMallocLog(file, o.format as MallocLogFormat | "auto");
  if (o.pid !== undefined) {
    const pid = Number(o.pid);
    traces = traces.filter((t) => t.pid === pid);
    if (!/^\d+$/.test(o.pid) || traces.length === 0)
      throw new UsageError(`malloc: ${file} has no process with pid ${o.pid}`);
  }
  if (traces.length === 0) throw new UsageError(`malloc: ${file} holds no allocation events`);
  const rows: ReplayResult[] = [];
  for (const t of traces)
    for (const p of names) rows.push(replayMallocTrace(t, p, { heap, clock: () => performance.now() })!);
  if (o.json) ctx.io.out(JSON.stringify(rows, null, 2) + "\n");
  else ctx.io.out(table(rows));
}

export const mallocCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command("malloc")
      .description(
        "replay a real allocation log (Valgrind --trace-malloc=yes or glibc mtrace) through heap allocators",
      )
      .argument("<trace>", "the log file (.gz and .zst read transparently; - for standard input)")
      .option(
        "--policy <list>",
        `comma-separated allocators: ${HEAP_POLICIES.join(", ")} (NAME-lifo for -fit policies); default: all`,
      )
      .option("--pid <n>", "replay only this process of a multi-process log")
      .option("--format <f>", "auto, valgrind or mtrace", "auto")
      .option("--mmap-threshold <bytes>", "requests this large get their own mapping (default 128k)")
      .option("--trim-threshold <bytes>", "free top of heap given back past this size (default 128k)")
      .option("--json", "print the rows as JSON")
      .action(async (file: string, o: MallocFlags) => runMalloc(ctx, file, o));
  },
};
