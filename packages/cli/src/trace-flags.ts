/**
 * The trace-reading and policy flags shared by `replace`, `mrc` and `anomaly`, and the
 * steps they share: one policy from --policy, the distinct pages of a trace, a sweep of runs.
 */
import { KeyMap, POLICY_NAMES, type PolicyOptions, resolvePolicyName, type TraceOptions } from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext } from "./command.js";
import { UsageError } from "./io.js";
import { createProgress } from "./progress.js";
import { defaultJobs, runSweepParallel, type SweepRow, type SweepRun, streamerFor } from "./sweep.js";
import { parsePositiveInt } from "./table.js";
import { type FormatChoice, formatChoice } from "./trace-source.js";

export interface TraceFlags {
  format: string;
  pageSize?: string;
  ifetch: boolean;
  idCol?: string;
  delimiter?: string;
  header?: boolean;
  seed?: string;
  window?: string;
  bits?: string;
  jobs?: string;
  quiet?: boolean;
}

/** Adds the shared flags to `cmd`. */
export function addTraceFlags(cmd: Command): Command {
  return cmd
    .option("--format <f>", "auto, refs, lackey, csv or oracle-general", "auto")
    .option("--page-size <bytes>", "page size for Lackey byte addresses (power of two)", "4096")
    .option("--no-ifetch", "Lackey: drop instruction fetches (I lines)")
    .option("--id-col <n>", "csv: 1-based column of the object id (default 2)")
    .option("--delimiter <c>", "csv: field delimiter (default ,)")
    .option("--header", "csv: the first line is a header (default: detected)")
    .option("--seed <n>", "seed for Random", "1")
    .option("--window <refs>", "working-set window τ for ws and wsclock (default 4 × frames)")
    .option("--bits <n>", "counter bits for aging (default 8)")
    .option("--jobs <n>", "worker threads for several runs (default: CPU count)")
    .option("--quiet", "no progress bar");
}

export function traceOptions(f: TraceFlags): { format: FormatChoice; trace: TraceOptions } {
  const pageSize = parsePositiveInt("--page-size", f.pageSize ?? "4096");
  if ((pageSize & (pageSize - 1)) !== 0 || pageSize > 2 ** 30)
    throw new UsageError(`--page-size: expected a power of two, found "${f.pageSize}"`);
  const trace: TraceOptions = {
    pageSize,
    ifetch: f.ifetch,
    ...(f.idCol !== undefined ? { idColumn: parsePositiveInt("--id-col", f.idCol) } : {}),
    ...(f.delimiter !== undefined ? { delimiter: delimiter(f.delimiter) } : {}),
    ...(f.header === true ? { header: true } : {}),
  };
  return { format: formatChoice(f.format), trace };
}

function delimiter(d: string): string {
  const map: Record<string, string> = { "\\t": "\t", tab: "\t", space: " " };
  const c = map[d] ?? d;
  if (c.length !== 1) throw new UsageError(`--delimiter: expected one character, found "${d}"`);
  return c;
}

export function policyOptions(f: TraceFlags): Omit<PolicyOptions, "capacity"> {
  return {
    seed: parsePositiveInt("--seed", f.seed ?? "1"),
    ...(f.window !== undefined ? { window: parsePositiveInt("--window", f.window) } : {}),
    ...(f.bits !== undefined ? { bits: bitsFlag(f.bits) } : {}),
  };
}

function bitsFlag(s: string): number {
  const n = parsePositiveInt("--bits", s);
  if (n > 32) throw new UsageError(`--bits: expected 1 to 32, found "${s}"`);
  return n;
}

/** `--policy a,b,c` → registered names; refuses unknown ones with the list of known. */
export function policyList(value: string): string[] {
  return value.split(",").map((raw) => {
    const name = resolvePolicyName(raw);
    if (name === undefined)
      throw new UsageError(`--policy: unknown policy "${raw.trim()}" (known: ${POLICY_NAMES.join(", ")})`);
    return name;
  });
}

/** The one policy `--policy value` names; more than one is a usage error ending "--policy: `expected`". */
export function singlePolicy(value: string, expected: string): string {
  const policies = policyList(value);
  if (policies.length !== 1) throw new UsageError(`--policy: ${expected}`);
  return policies[0]!;
}

/** How many distinct page keys the trace at `file` references (one extra pass over it). */
export async function countDistinctPages(
  file: string,
  format: FormatChoice,
  trace: TraceOptions,
): Promise<number> {
  const seen = new KeyMap(1 << 12);
  await streamerFor(file)(file, format, trace, (keys, _w, n) => {
    for (let i = 0; i < n; i++) seen.set(keys[i]!, 1);
  });
  return seen.size;
}

/**
 * Runs `runs` over the trace at `file` with the flags' trace and policy options, on
 * --jobs worker threads, showing a progress bar labelled `label` unless --quiet. The rows
 * come in the order of `runs`; usage errors in the flags are thrown before anything runs.
 */
export async function sweepTrace(
  ctx: CommandContext,
  label: string,
  file: string,
  f: TraceFlags,
  runs: readonly SweepRun[],
): Promise<SweepRow[]> {
  const { format, trace } = traceOptions(f);
  const job = { path: file, format, trace, policyOptions: policyOptions(f), runs };
  const jobs = jobsFlag(f, defaultJobs());
  const progress = createProgress(ctx.io, label, f.quiet === true);
  try {
    return await runSweepParallel(job, jobs, (done, total) => progress.update(done, total));
  } finally {
    progress.finish();
  }
}

export function jobsFlag(f: TraceFlags, fallback: number): number {
  return f.jobs === undefined ? fallback : parsePositiveInt("--jobs", f.jobs);
}
