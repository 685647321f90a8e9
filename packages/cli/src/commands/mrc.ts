/**
 * `memsim mrc TRACE [--policy lru] [--max-frames N] [--points K] [--svg FILE]
 * [--json|--csv]`: the miss-ratio curve. LRU's is exact for every size from one pass of
 * stack distances; other policies run once per size, spread over worker threads.
 */
import { writeFileSync } from "node:fs";
import { type CurvePoint, curveSizes } from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";
import { curveSvg } from "../mrc-svg.js";
import { createProgress, type Progress } from "../progress.js";
import { lruStackPass } from "../stack-pass.js";
import { defaultJobs, runSweepParallel } from "../sweep.js";
import { formatCsv, formatTable, parsePositiveInt, thousands } from "../table.js";
import {
  addTraceFlags,
  countDistinctPages,
  jobsFlag,
  policyOptions,
  singlePolicy,
  type TraceFlags,
  traceOptions,
} from "../trace-flags.js";

interface MrcFlags extends TraceFlags {
  policy: string;
  maxFrames?: string;
  points: string;
  svg?: string;
  json?: boolean;
  csv?: boolean;
}

async function runMrc(ctx: CommandContext, file: string, f: MrcFlags): Promise<void> {
  if (f.json && f.csv) throw new UsageError("--json and --csv: choose one");
  const policy = singlePolicy(f.policy, "expected one policy for a curve");
  const points = parsePositiveInt("--points", f.points);
  const maxFlag = f.maxFrames === undefined ? undefined : parsePositiveInt("--max-frames", f.maxFrames);
  const { format, trace } = traceOptions(f);
  const progress = createProgress(ctx.io, "mrc", f.quiet === true);
  let accesses = 0;
  let distinct = 0;
  let curve: CurvePoint[];
  try {
    if (policy === "lru") {
      // With --max-frames the stack is bounded there: memory and time follow the sizes asked.
      const sd = await lruStackPass(file, format, trace, maxFlag, tick(progress));
      accesses = sd.references;
      if (maxFlag === undefined) distinct = sd.distinct;
      const sizes = curveSizes(maxFlag ?? Math.max(1, distinct), points);
      const misses = sd.missCurve(sizes.at(-1)!);
      curve = sizes.map((n) => point(n, misses[n]!, accesses));
    } else {
      let max = maxFlag;
      if (max === undefined) {
        distinct = await countDistinctPages(file, format, trace);
        max = Math.max(1, distinct);
      }
      const sizes = curveSizes(max, points);
      const rows = await runSweepParallel(
        {
          path: file,
          format,
          trace,
          policyOptions: policyOptions(f),
          runs: sizes.map((n) => ({ policy, frames: n })),
        },
        jobsFlag(f, defaultJobs()),
        tick(progress),
      );
      accesses = rows[0]?.accesses ?? 0;
      curve = rows.map((r) => point(r.frames, r.misses, r.accesses));
    }
  } finally {
    progress.finish();
  }
  if (f.svg !== undefined) {
    try {
      writeFileSync(f.svg, curveSvg(policy, file, curve));
    } catch (e) {
      throw new UsageError(`${f.svg}: cannot write file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (f.json) ctx.io.out(JSON.stringify({ policy, accesses, points: curve }, null, 2) + "\n");
  else if (f.csv)
    ctx.io.out(
      formatCsv(
        ["frames", "misses", "missRatio"],
        curve.map((p) => [p.frames, p.misses, p.missRatio.toFixed(6)]),
      ),
    );
  else {
    ctx.io.out(
      `${policy} miss-ratio curve: ${thousands(accesses)} accesses${distinct > 0 ? `, ${thousands(distinct)} distinct pages` : ""}\n`,
    );
    ctx.io.out(
      formatTable(
        ["frames", "misses", "miss ratio"],
        curve.map((p) => [thousands(p.frames), thousands(p.misses), p.missRatio.toFixed(4)]),
      ),
    );
  }
}

function point(frames: number, misses: number, accesses: number): CurvePoint {
  return { frames, misses, missRatio: accesses === 0 ? 0 : misses / accesses };
}

function tick(p: Progress) {
  return (done: number, total: number | undefined) => p.update(done, total);
}

export const mrcCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    addTraceFlags(
      program
        .command("mrc")
        .description("miss-ratio curve of a policy over a trace (LRU: exact, one pass)")
        .argument("<trace>", "trace file (.gz and .zst read transparently; - for standard input)")
        .option("--policy <name>", "replacement policy", "lru")
        .option("--max-frames <n>", "largest cache size (default: the trace's distinct pages)")
        .option("--points <k>", "number of sizes on the curve", "20")
        .option("--svg <file>", "also draw the curve as SVG into FILE"),
    )
      .option("--json", "print the curve as JSON")
      .option("--csv", "print the curve as CSV")
      .action(async (file: string, o: MrcFlags) => runMrc(ctx, file, o));
  },
};
