/**
 * `memsim ostep NAME [OSTEP's own flags]`: the six OSTEP memory homework simulators, with
 * the originals' optparse flags and byte-identical standard output. The arguments after
 * NAME are handed untouched to core's optparse-compatible parser, so `-h` prints the
 * simulator's own help. Where the original would crash or loop forever, memsim prints one
 * line to stderr (`memsim: ostep NAME: …`) and exits 1; bad flags exit 2, as optparse does.
 */
import { readFileSync } from "node:fs";
import { findOstepSimulator, invokeOstep, OSTEP_SIMULATORS, type OstepHost } from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";

/** Reads paging-policy's `-f` file; a failure is a reason, not an exception. */
const nodeHost: OstepHost = {
  readFile(path) {
    try {
      return { ok: true, text: readFileSync(path, "utf8") };
    } catch (e) {
      return { ok: false, reason: (e as NodeJS.ErrnoException).code ?? String(e) };
    }
  },
};

/** optparse's help width: $COLUMNS, else the terminal's width, else 80. */
function helpColumns(): number {
  const env = (process.env.COLUMNS ?? "").trim();
  if (/^\d+$/.test(env) && Number(env) > 0) return Number(env);
  return process.stdout.isTTY ? process.stdout.columns : 80;
}

function listing(): string {
  const width = Math.max(...OSTEP_SIMULATORS.map((s) => s.name.length));
  const rows = OSTEP_SIMULATORS.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`);
  return `Usage: memsim ostep SIMULATOR [its flags]   (SIMULATOR -h shows its flags)\n\nSimulators:\n${rows.join("\n")}\n`;
}

/** Runs one simulator; writes its stdout, and its one-line error (if any) to stderr. */
export function runOstepCommand(
  ctx: CommandContext,
  name: string | undefined,
  argv: readonly string[],
): void {
  if (name === undefined || name === "-h" || name === "--help") {
    ctx.io.out(listing());
    return;
  }
  const sim = findOstepSimulator(name);
  if (sim === undefined) {
    throw new UsageError(
      `ostep: unknown simulator '${name}' (expected one of: ${OSTEP_SIMULATORS.map((s) => s.name).join(", ")})`,
    );
  }
  const result = invokeOstep(sim, argv, nodeHost, helpColumns());
  if (result.kind === "help") ctx.io.out(result.text);
  else if (result.kind === "usage-error") throw new UsageError(`ostep ${name}: ${result.message}`);
  else {
    ctx.io.out(result.kind === "json" ? result.text : result.run.stdout);
    if (result.run.error !== null) ctx.io.err(`memsim: ostep ${name}: ${result.run.error}\n`);
    ctx.exitCode = result.run.exitCode;
  }
}

/**
 * The arguments after `ostep` exactly as typed. Commander drops a `--` that comes before
 * any unknown option, but optparse gives `--` a meaning (end of options), so the
 * simulator's arguments are taken from the program's raw arguments instead.
 */
function argsAfterOstep(cmd: Command): string[] | null {
  const raw = (cmd.parent as unknown as { rawArgs?: unknown } | null)?.rawArgs;
  if (!Array.isArray(raw)) return null;
  const at = raw.indexOf("ostep");
  return at < 0 ? null : raw.slice(at + 1).map(String);
}

export const ostepCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command("ostep")
      .description(
        "OSTEP homework simulators (relocation, segmentation, malloc, paging-*), same flags and output",
      )
      .argument(
        "[simulator]",
        "relocation, segmentation, malloc, paging-linear-translate, paging-multilevel-translate or paging-policy",
      )
      .argument("[args...]", "the simulator's own flags (see memsim ostep SIMULATOR -h)")
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action((simulator: string | undefined, args: string[], _opts: unknown, cmd: Command) => {
        const raw = argsAfterOstep(cmd);
        if (raw === null) runOstepCommand(ctx, simulator, args);
        else runOstepCommand(ctx, raw[0], raw.slice(1));
      });
  },
};
