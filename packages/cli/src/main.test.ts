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

describe("error messages", () => {
  it("a located input error is printed as FILE:LINE: message, without the program prefix", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "memsim-main-"));
    const file = join(dir, "bad.refs");
    writeFileSync(file, "1 2 3\n4 x 5\n");
    const io = memoryIo();
    expect(await main(["replace", file, "--frames", "2", "--format", "refs"], io)).toBe(2);
    expect(io.stderr()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: expected`));
  });
  it("an unlocated usage error keeps the memsim: prefix", async () => {
    const io = memoryIo();
    expect(await main(["replace", "/no/such/trace", "--frames", "2"], io)).toBe(2);
    expect(io.stderr()).toMatch(/^memsim: /);
  });
});
