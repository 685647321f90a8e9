/**
 * `memsim anomaly TRACE [--policy fifo] [--max-frames N]`: runs the policy with every
 * frame count from 1 to N and lists each size where one more frame gives more faults
 * (Belady's anomaly).
 */
import { findAnomalies } from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { parsePositiveInt, thousands } from "../table.js";
import {
  addTraceFlags,
  countDistinctPages,
  singlePolicy,
  sweepTrace,
  type TraceFlags,
  traceOptions,
} from "../trace-flags.js";

interface AnomalyFlags extends TraceFlags {
  policy: string;
  maxFrames?: string;
  json?: boolean;
}

/** Without --max-frames: every size up to the distinct pages, at most this many. */
const DEFAULT_MAX = 64;

async function runAnomaly(ctx: CommandContext, file: string, f: AnomalyFlags): Promise<void> {
  const policy = singlePolicy(f.policy, "expected one policy");
  const { format, trace } = traceOptions(f);
  let max = f.maxFrames === undefined ? undefined : parsePositiveInt("--max-frames", f.maxFrames);
  if (max === undefined)
    max = Math.max(1, Math.min(DEFAULT_MAX, await countDistinctPages(file, format, trace)));
  const runs = Array.from({ length: max }, (_, i) => ({ policy, frames: i + 1 }));
  const rows = await sweepTrace(ctx, "anomaly", file, f, runs);
  const points = rows.map((r) => ({ frames: r.frames, misses: r.misses, missRatio: r.missRatio }));
  const anomalies = findAnomalies(points);
  const accesses = rows[0]?.accesses ?? 0;
  if (f.json) {
    ctx.io.out(JSON.stringify({ policy, accesses, maxFrames: max, anomalies, points }, null, 2) + "\n");
    return;
  }
  const lines = [`${policy}: frames 1..${max} over ${thousands(accesses)} accesses`];
  if (anomalies.length === 0) lines.push("no anomaly: more frames never gave more faults");
  else {
    lines.push(`Belady's anomaly at ${anomalies.length} size${anomalies.length === 1 ? "" : "s"}:`);
    for (const a of anomalies)
      lines.push(
        `  ${a.frames} frames: ${thousands(a.misses)} faults; ${a.moreFrames} frames: ${thousands(a.moreMisses)} faults (+${thousands(a.moreMisses - a.misses)})`,
      );
  }
  ctx.io.out(lines.join("\n") + "\n");
}

export const anomalyCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    addTraceFlags(
      program
        .command("anomaly")
        .description("find Belady's anomaly: sizes where one more frame gives more faults")
        .argument("<trace>", "trace file (.gz and .zst read transparently; - for standard input)")
        .option("--policy <name>", "replacement policy", "fifo")
        .option(
          "--max-frames <n>",
          `largest frame count tried (default: distinct pages, at most ${DEFAULT_MAX})`,
        ),
    )
      .option("--json", "print the result as JSON")
      .action(async (file: string, o: AnomalyFlags) => runAnomaly(ctx, file, o));
  },
};
