/**
 * The CLI reference (docs/cli.md) is generated from the commands' own help, so it cannot
 * drift from what `memsim COMMAND --help` prints. `npm run docs:cli` rewrites the file; a
 * test fails when it is out of date.
 */
import type { Command } from "commander";
import { memoryIo } from "./io.js";
import { buildProgram } from "./main.js";

const INTRO = `# memsim command reference

Generated from \`memsim --help\` and \`memsim COMMAND --help\` (\`npm run docs:cli\` rewrites
this file; a test keeps it in step with the code). Exit codes, for every command: **0**
success (a simulated crash is an outcome, not an error), **1** a failed \`expect\` check,
**2** a usage or input error (the message says where and what was expected), **3** a broken
kernel invariant found by \`run --check\`, **70** an internal error.

Topic guides: [scenarios](msim.md), [hardware](hardware.md), [page replacement](replacement.md),
[trace formats](trace-formats.md), [the C heap](heap.md), [the Python runtime](python-gc.md),
[OSTEP exercises](ostep.md), [the web lab](web.md).
`;

/** A command's help at a fixed 80 columns, whatever the terminal's width. */
function helpOf(command: Command): string {
  command.configureOutput({ ...command.configureOutput(), getOutHelpWidth: () => 80 });
  return command.helpInformation().trimEnd();
}

/** The whole Markdown text of docs/cli.md. */
export function cliReference(): string {
  const program = buildProgram({ io: memoryIo(), exitCode: 0 });
  const parts = [INTRO, "## memsim\n", "```\n" + helpOf(program) + "\n```\n"];
  for (const command of program.commands) {
    if (command.name() === "help") continue;
    parts.push(`## memsim ${command.name()}\n`, "```\n" + helpOf(command) + "\n```\n");
  }
  return parts.join("\n");
}
