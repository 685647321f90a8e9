import type { CommandModule } from "../command.js";
import { anomalyCommand } from "./anomaly.js";
import { demoCommand } from "./demo.js";
import { mallocCommand } from "./malloc.js";
import { mrcCommand } from "./mrc.js";
import { ostepCommand } from "./ostep.js";
import { pygcCommand } from "./pygc.js";
import { replaceCommand } from "./replace.js";
import { runCommand } from "./run.js";

/**
 * Every subcommand, in the order `memsim --help` lists them.
 * Adding a command = one module in this folder plus one line here.
 */
export const COMMANDS: readonly CommandModule[] = [
  demoCommand,
  runCommand,
  ostepCommand,
  mallocCommand,
  replaceCommand,
  mrcCommand,
  anomalyCommand,
  pygcCommand,
];
