/**
 * `memsim run FILE.msim [--events] [--json] [--check]`: runs a scenario on the simulated
 * machine and prints a readable event trace (`--events`, one line each) and the final
 * report (per-process status and faults, meminfo, TLB and paging counters), or the report
 * as JSON (`--json`). Exit codes: 0 ran (a simulated crash is not an error), 1 an `expect`
 * failed, 2 a mistake in the file (`FILE:LINE:COL: message`), 3 a broken kernel invariant
 * found by `--check` (a bug in memsim).
 */
import { readFile } from "node:fs/promises";
import {
  formatInputError,
  type MachineReport,
  parseScenario,
  type ScenarioOutput,
  ScenarioRunner,
} from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";

interface RunFlags {
  events?: boolean;
  json?: boolean;
  check?: boolean;
}

/** Exit code of a run whose kernel invariant checker found a problem. */
export const EXIT_INVARIANT = 3;

async function readScenario(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `run: cannot read ${path}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}`,
    );
  }
}

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

/** The human-readable final report. */
export function formatReport(r: MachineReport, meminfo: string): string {
  const lines: string[] = ["processes:"];
  const names = Object.keys(r.processes);
  const w = Math.max(4, ...names.map((n) => n.length)) + 2;
  lines.push(
    `  ${pad("NAME", w)}${pad("PID", 5)}${pad("STATE", 18)}${pad("VSZ", 7)}${pad("RSS", 6)}${pad("SWAP", 6)}${pad("MINOR", 7)}${pad("MAJOR", 7)}${pad("COW", 5)}${pad("STACK", 7)}SEGV`,
  );
  for (const n of names) {
    const p = r.processes[n];
    if (p === undefined) continue;
    const f = p.faults;
    const state = p.signal === null ? p.state : `${p.state} (${p.signal})`;
    lines.push(
      `  ${pad(n, w)}${pad(p.pid, 5)}${pad(state, 18)}${pad(p.vsz, 7)}${pad(p.rss, 6)}${pad(p.swap, 6)}${pad(f.minor, 7)}${pad(f.major, 7)}${pad(f.cow, 5)}${pad(f.stack_growth, 7)}${f.segv}`,
    );
  }
  for (const n of names) {
    const p = r.processes[n];
    if (p?.reason) lines.push(`  ${n}: ${p.reason}`);
  }
  lines.push("  (VSZ, RSS and SWAP in pages)");
  const m = r.memory;
  lines.push(
    `memory: ${m.frames} frames of ${m.page_size} bytes, ${m.free_frames} free, ${m.page_table_frames} page-table pages; swap: ${m.swap_slots} slots, ${m.swap_free} free`,
  );
  const t = r.tlb;
  lines.push(
    `tlb: ${t.entries} entries, ${t.hits} hits, ${t.misses} misses (hit rate ${(t.hit_rate * 100).toFixed(1)}%), ${t.flushes} flushes, ${t.invalidations} invalidations`,
  );
  const g = r.paging;
  lines.push(
    `paging (${g.policy}): ${g.accesses} accesses, ${g.faults} faults (${g.major_faults} major), ${g.zero_fills} zero-fills, ${g.cow_copies} COW copies, ${g.cow_reuses} COW reuses`,
    `  ${g.evictions} evictions: ${g.swap_outs} swap-outs, ${g.file_drops} clean file pages dropped; ${g.swap_ins} swap-ins; kswapd ran ${g.kswapd_runs} times; ${g.oom_kills} OOM kills`,
  );
  if (g.thrashing_episodes > 0)
    lines.push(
      `  thrashing: ${g.thrashing_episodes} episode(s)${g.thrashing ? ", still thrashing at the end" : ""}`,
    );
  lines.push(
    "meminfo:",
    ...meminfo
      .trimEnd()
      .split("\n")
      .map((l) => `  ${l}`),
  );
  return `${lines.join("\n")}\n`;
}

function textOutput(ctx: CommandContext, flags: RunFlags): (o: ScenarioOutput) => void {
  return (o) => {
    if (o.kind === "event") ctx.io.out(`${String(o.line).padStart(4)}  ${o.text}\n`);
    else if (o.kind === "print") ctx.io.out(`${o.text}\n`);
    else if (o.kind === "expect" && (o.ok ? flags.events : true))
      ctx.io.out(`${String(o.line).padStart(4)}  ${o.text}\n`);
  };
}

async function runAction(path: string, flags: RunFlags, ctx: CommandContext): Promise<void> {
  const source = await readScenario(path);
  const parsed = parseScenario(source);
  if (!parsed.ok) {
    ctx.io.err(`${formatInputError(path, parsed.error)}\n`);
    ctx.exitCode = 2;
    return;
  }
  const collected: Record<string, unknown>[] = [];
  const problems: string[] = [];
  const onOutput = (o: ScenarioOutput) => {
    if (o.kind === "invariant") {
      for (const p of o.problems) problems.push(`${path}:${o.line}: kernel invariant broken: ${p}`);
      return;
    }
    if (flags.json)
      collected.push(
        o.kind === "event" ? { line: o.line, kind: "event", text: o.text, event: o.event } : { ...o },
      );
    else textOutput(ctx, flags)(o);
  };
  const runner = new ScenarioRunner(parsed.value, {
    events: flags.events === true,
    check: flags.check === true,
    onOutput,
  }).run();
  if (runner.error !== null) {
    ctx.io.err(`${formatInputError(path, runner.error)}\n`);
    ctx.exitCode = 2;
    return;
  }
  const report = runner.report();
  if (flags.check) {
    const end = runner.machine?.check() ?? [];
    for (const p of end) problems.push(`${path}: kernel invariant broken at the end: ${p}`);
  }
  if (flags.json) {
    const out: Record<string, unknown> = { ...report };
    if (flags.events || collected.length > 0) out.output = collected;
    ctx.io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else ctx.io.out(formatReport(report, runner.machine?.meminfo() ?? ""));
  for (const f of runner.expectFailures) ctx.io.err(`${path}:${f.line}: ${f.message}\n`);
  for (const p of problems) ctx.io.err(`${p}\n`);
  ctx.exitCode = problems.length > 0 ? EXIT_INVARIANT : runner.expectFailures.length > 0 ? 1 : 0;
}

export const runCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command("run")
      .description("run a .msim scenario on the simulated machine and report what the memory system did")
      .argument("<file>", "scenario file (.msim)")
      .option("--events", "print every event as one readable line")
      .option("--json", "print the final report as JSON")
      .option("--check", "check the kernel's invariants after every command")
      .action(async (file: string, flags: RunFlags) => runAction(file, flags, ctx));
  },
};
