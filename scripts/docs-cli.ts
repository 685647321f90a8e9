// Rewrites docs/cli.md from the commands' own help (see packages/cli/src/cli-doc.ts).
import { writeFileSync } from "node:fs";
import { cliReference } from "../packages/cli/src/cli-doc.js";

writeFileSync(new URL("../docs/cli.md", import.meta.url), cliReference());
