import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as core from "../index.js";

describe("docs/hardware.md example", () => {
  it("runs and prints what the page says", () => {
    const doc = readFileSync(new URL("../../../../docs/hardware.md", import.meta.url), "utf8");
    const example = doc.slice(doc.indexOf("## Example"));
    const code = /```ts\n([\s\S]*?)```/.exec(example)?.[1] ?? "";
    const expected = /```text\n([\s\S]*?)```/.exec(example)?.[1] ?? "";
    const imports = /import \{([^}]*)\} from "@memsim\/core";/.exec(code)?.[1] ?? "";
    const names = imports
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    expect(names.length).toBeGreaterThan(5);
    const body = code.replace(/^import .*$/m, "");
    const printed: string[] = [];
    const fakeConsole = { log: (...xs: unknown[]) => printed.push(xs.map(String).join(" ")) };
    const values = names.map((n) => (core as Record<string, unknown>)[n]);
    expect(values.every((v) => v !== undefined)).toBe(true);
    new Function("console", ...names, body)(fakeConsole, ...values);
    expect(printed.join("\n") + "\n").toBe(expected);
  });
});
