import type { Command } from "commander";
import type { Io } from "./io.js";

/**
 * One `memsim` subcommand. `register` adds it to the program; its action sets
 * `ctx.exitCode` (0 by default) instead of exiting, and throws `UsageError` for user mistakes.
 */
export interface CommandModule {
  register(program: Command, ctx: CommandContext): void;
}

export interface CommandContext {
  readonly io: Io;
  exitCode: number;
}
