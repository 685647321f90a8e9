#!/usr/bin/env node
import { main } from "../dist/main.js";

// A reader that stops early (`memsim run x.msim --events | head`) closes the pipe: that is
// the end of the output, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
