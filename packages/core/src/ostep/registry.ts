/**
 * The six OSTEP memory simulators by name, and one entry point that parses their
 * optparse-style arguments and runs them. Adding a simulator = one module and one entry.
 */
import { MALLOC_OPTIONS, runMalloc } from "./malloc.js";
import { formatHelp, type OptionSpec, type OptValues, optparse } from "./optparse.js";
import { PAGING_LINEAR_OPTIONS, runPagingLinear } from "./paging-linear.js";
import { PAGING_MULTILEVEL_OPTIONS, runPagingMultilevel } from "./paging-multilevel.js";
import { PAGING_POLICY_OPTIONS, runPagingPolicy } from "./paging-policy.js";
import { RELOCATION_OPTIONS, runRelocation } from "./relocation.js";
import { runSegmentation, SEGMENTATION_OPTIONS } from "./segmentation.js";
import type { OstepHost, OstepRun } from "./transcript.js";

/** One simulator: its name, the original script's name (shown in its help), options, runner. */
export interface OstepSimulator {
  readonly name: string;
  readonly script: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  run(values: OptValues, host: OstepHost): OstepRun;
}

export const OSTEP_SIMULATORS: readonly OstepSimulator[] = [
  {
    name: "relocation",
    script: "relocation.py",
    summary: "base-and-bounds address translation",
    options: RELOCATION_OPTIONS,
    run: runRelocation,
  },
  {
    name: "segmentation",
    script: "segmentation.py",
    summary: "two-segment address translation",
    options: SEGMENTATION_OPTIONS,
    run: runSegmentation,
  },
  {
    name: "malloc",
    script: "malloc.py",
    summary: "free-list allocation (best, worst, first fit)",
    options: MALLOC_OPTIONS,
    run: runMalloc,
  },
  {
    name: "paging-linear-translate",
    script: "paging-linear-translate.py",
    summary: "translation through a linear page table",
    options: PAGING_LINEAR_OPTIONS,
    run: runPagingLinear,
  },
  {
    name: "paging-multilevel-translate",
    script: "paging-multilevel-translate.py",
    summary: "translation through a two-level page table in memory",
    options: PAGING_MULTILEVEL_OPTIONS,
    run: runPagingMultilevel,
  },
  {
    name: "paging-policy",
    script: "paging-policy.py",
    summary: "page replacement policies on a reference string",
    options: PAGING_POLICY_OPTIONS,
    run: runPagingPolicy,
  },
];

/** The simulator called `name`, or undefined. */
export function findOstepSimulator(name: string): OstepSimulator | undefined {
  return OSTEP_SIMULATORS.find((s) => s.name === name);
}

/** What one invocation comes to: a run, its JSON, the help text (exit 0), or a one-line usage error. */
export type OstepInvocation =
  | { readonly kind: "run"; readonly run: OstepRun }
  | { readonly kind: "json"; readonly run: OstepRun; readonly text: string }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "usage-error"; readonly message: string };

/**
 * memsim's own flag, which no original has: print the problem and its answers as JSON
 * instead of the original's text. Hidden from `-h` so the help stays the original's.
 */
export const OSTEP_JSON_OPTION: OptionSpec = {
  long: "--json",
  dest: "json",
  type: "flag",
  default: false,
  hidden: true,
  help: "print the problem and its answers as JSON",
};

/**
 * Parses `argv` as the original's optparse would and runs the simulator. `columns` is the
 * terminal width the help is laid out for (optparse's rule: $COLUMNS, else the terminal,
 * else 80). With `--json` the answers are computed as with `-c` and returned as JSON.
 */
export function invokeOstep(
  sim: OstepSimulator,
  argv: readonly string[],
  host: OstepHost,
  columns = 80,
): OstepInvocation {
  const parsed = optparse([...sim.options, OSTEP_JSON_OPTION], argv);
  if (parsed.kind === "help") return { kind: "help", text: formatHelp(sim.script, sim.options, columns) };
  if (parsed.kind === "error") return { kind: "usage-error", message: parsed.message };
  if (parsed.values.get("json") !== true) return { kind: "run", run: sim.run(parsed.values, host) };
  const run = sim.run(new Map(parsed.values).set("solve", true), host);
  return { kind: "json", run, text: ostepJson(sim, parsed.values, run) };
}

/**
 * The JSON document: the simulator, the option values, what the run found (registers,
 * page table, translations, operations, steps… depending on the simulator), and `stopped`:
 * null, or the exit status and reason where the original stops early.
 */
function ostepJson(sim: OstepSimulator, values: OptValues, run: OstepRun): string {
  const options = Object.fromEntries([...values].filter(([k]) => k !== "json"));
  const lastLine = run.stdout.trimEnd().split("\n").pop() ?? "";
  const stopped = run.exitCode === 0 ? null : { exitCode: run.exitCode, reason: run.error ?? lastLine };
  return `${JSON.stringify({ simulator: sim.name, options, ...run.facts, stopped }, null, 2)}\n`;
}
