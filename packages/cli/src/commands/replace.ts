/**
 * `memsim replace TRACE --policy lru,fifo,… --frames 100,1000,… [--format F]
 * [--page-size N] [--json|--csv]`: runs every policy at every size over a trace and prints
 * one row per run: policy, frames, accesses, hits, misses, miss ratio, dirty write-backs
 * and the simulator's requests per second.
 */
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";
import type { SweepRow } from "../sweep.js";
import { formatCsv, formatTable, parseIntList, rate, thousands } from "../table.js";
import { addTraceFlags, policyList, sweepTrace, type TraceFlags } from "../trace-flags.js";

interface ReplaceFlags extends TraceFlags {
  policy: string;
  frames?: string;
  json?: boolean;
  csv?: boolean;
}

const HEADER = ["policy", "frames", "accesses", "hits", "misses", "miss ratio", "write-backs", "req/s"];

async function runReplace(ctx: CommandContext, file: string, f: ReplaceFlags): Promise<void> {
  if (f.json && f.csv) throw new UsageError("--json and --csv: choose one");
  if (f.frames === undefined)
    throw new UsageError("--frames: expected a list of frame counts, e.g. --frames 100,1000");
  const policies = policyList(f.policy);
  const frames = parseIntList("--frames", f.frames);
  const runs = policies.flatMap((policy) => frames.map((n) => ({ policy, frames: n })));
  const rows = await sweepTrace(ctx, "replace", file, f, runs);
  ctx.io.out(renderRows(rows, f.json ? "json" : f.csv ? "csv" : "table"));
}

/** The rows as a table, CSV or JSON (keys policy, frames, accesses, hits, misses, missRatio, …). */
export function renderRows(rows: readonly SweepRow[], how: "table" | "csv" | "json"): string {
  const speed = (r: SweepRow) => (r.seconds > 0 ? r.accesses / r.seconds : Number.POSITIVE_INFINITY);
  if (how === "json") {
    const out = rows.map((r) => ({
      policy: r.policy,
      frames: r.frames,
      accesses: r.accesses,
      hits: r.hits,
      misses: r.misses,
      missRatio: r.missRatio,
      writebacks: r.writebacks,
      requestsPerSecond: Number.isFinite(speed(r)) ? Math.round(speed(r)) : null,
    }));
    return JSON.stringify(out, null, 2) + "\n";
  }
  if (how === "csv")
    return formatCsv(
      ["policy", "frames", "accesses", "hits", "misses", "missRatio", "writebacks", "requestsPerSecond"],
      rows.map((r) => [
        r.policy,
        r.frames,
        r.accesses,
        r.hits,
        r.misses,
        r.missRatio.toFixed(6),
        r.writebacks,
        Number.isFinite(speed(r)) ? Math.round(speed(r)) : "",
      ]),
    );
  return formatTable(
    HEADER,
    rows.map((r) => [
      r.policy,
      thousands(r.frames),
      thousands(r.accesses),
      thousands(r.hits),
      thousands(r.misses),
      r.missRatio.toFixed(4),
      thousands(r.writebacks),
      rate(speed(r)),
    ]),
  );
}

export const replaceCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    addTraceFlags(
      program
        .command("replace")
        .description("simulate page-replacement policies over a trace (refs, Lackey, libCacheSim csv/binary)")
        .argument("<trace>", "trace file (.gz and .zst read transparently; - for standard input)")
        .option("--policy <list>", "policies, comma-separated (e.g. lru,fifo,clock,arc,opt)", "lru")
        .option("--frames <list>", "frame counts, comma-separated (e.g. 100,1000)"),
    )
      .option("--json", "print the rows as JSON")
      .option("--csv", "print the rows as CSV")
      .action(async (file: string, o: ReplaceFlags) => runReplace(ctx, file, o));
  },
};
