import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryIo } from "./io.js";
import { main } from "./main.js";
import { VERSION } from "./version.js";

describe("memsim", () => {
  it("--version prints the packages' version", async () => {
    const io = memoryIo();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.stdout().trim()).toBe(VERSION);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(pkg.version).toBe(VERSION);
  });
  it("--help lists the commands", async () => {
    const io = memoryIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout()).toContain("Usage: memsim");
  });
  it("an unknown command exits 2 with a message", async () => {
    const io = memoryIo();
    expect(await main(["no-such-command"], io)).toBe(2);
    expect(io.stderr()).toMatch(/error/);
  });
});
