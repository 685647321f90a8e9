import { FORMAT_PRESETS } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

async function demo(...args: string[]) {
  const io = memoryIo();
  const code = await main(["demo", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("memsim demo", () => {
  it("narrates a miss with a walk per level, a fill, a hit, a not-present and a protection fault", async () => {
    const { code, out } = await demo();
    expect(code).toBe(0);
    const lines = out.split("\n");
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const miss = at(/TLB lookup for page 0x400 \(ASID 1\): miss/);
    const walks = lines.filter((l) => /^ {4}level \d (PML4|PDPT|PD|PT) +index/.test(l));
    const fill = at(/caches the translation in TLB slot/);
    const hit = at(/TLB lookup for page 0x400 \(ASID 1\): hit/);
    const notPresent = at(/Page fault: not present \(the entry at level 3 is not valid\)/);
    const protection = at(/Page fault: protection violation: .* lacks the write right/);
    expect(miss).toBeGreaterThan(0);
    expect(fill).toBeGreaterThan(miss);
    expect(hit).toBeGreaterThan(fill);
    expect(notPresent).toBeGreaterThan(hit);
    expect(protection).toBeGreaterThan(notPresent);
    // Three walks of four levels: text, data, and the unmapped page.
    expect(walks.length).toBe(12);
    expect(out).toContain("Counters: TLB hits 2, misses 3, evictions 0; page walks 3, faults 2.");
  });

  it("shows consistent numbers: the walk's last entry names the frame the result uses", async () => {
    const { out } = await demo();
    const step2 = out.slice(out.indexOf("Step 2."), out.indexOf("Step 3."));
    const frame = /level 3 PT +index +0 .*-> page in frame (\d+)/.exec(step2)?.[1];
    expect(frame).toBeDefined();
    const result = /Result: pa = frame (\d+) x 4096 \+ offset 0x12 = 0x([0-9a-f]+)\./.exec(step2);
    expect(result?.[1]).toBe(frame);
    expect(Number.parseInt(result?.[2] ?? "", 16)).toBe(Number(frame) * 4096 + 0x12);
    expect(step2).toContain(
      "The address splits into PML4 index 0, PDPT index 0, PD index 2, PT index 0, offset 0x12.",
    );
  });

  it("the dirty bit is set on the write and shows in the entry afterwards", async () => {
    const { out } = await demo();
    expect(out).toMatch(/sets the accessed bit and the dirty bit .* \(flags V R W U A D\)/);
  });

  it("runs on every preset; formats without a W bit explain why there is no protection fault", async () => {
    for (const format of FORMAT_PRESETS) {
      const { code, out } = await demo("--format", format);
      expect(code).toBe(0);
      expect(out).toContain(`page-table format ${format}`);
      expect(out).toMatch(/Page fault: not present/);
    }
    const { out } = await demo("--format", "ostep-2level");
    expect(out).toContain("has no write-protect bit (1-byte entries)");
    expect(out).not.toMatch(/protection violation/);
  });

  it("an unknown format is a usage error", async () => {
    const { code, err } = await demo("--format", "pdp11");
    expect(code).toBe(2);
    expect(err).toBe(
      'memsim: demo: unknown format "pdp11"; expected one of x86-32, x86-64, sv39, linear, ostep-2level\n',
    );
  });
});
