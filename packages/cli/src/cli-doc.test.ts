import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cliReference } from "./cli-doc.js";

describe("docs/cli.md", () => {
  it("is the commands' current help (run `npm run docs:cli` after changing a flag)", () => {
    const doc = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
    expect(doc).toBe(cliReference());
  });
  it("documents every command", () => {
    const ref = cliReference();
    for (const name of ["demo", "run", "replace", "mrc", "anomaly", "malloc", "pygc", "ostep"]) {
      expect(ref).toContain(`## memsim ${name}\n`);
    }
  });
});
