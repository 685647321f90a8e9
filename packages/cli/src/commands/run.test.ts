import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

const EXAMPLES = fileURLToPath(new URL("../../../../examples/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "memsim-run-"));

async function run(source: string, ...flags: string[]) {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.msim`);
  writeFileSync(file, source);
  const io = memoryIo();
  const code = await main(["run", file, ...flags], io);
  return { code, out: io.stdout(), err: io.stderr(), file };
}

describe("memsim run: the examples", () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".msim"));
  it("ships one example per concept", () => {
    for (const name of [
      "demand-paging",
      "swapping-thrashing",
      "protection-fault",
      "fork-cow",
      "shared-memory",
      "shared-library",
      "stack-overflow",
      "oom",
      "exit-frees-memory",
    ])
      expect(files).toContain(`${name}.msim`);
  });
  it.each(files)("%s passes its expects with the invariant checker on", async (f) => {
    const io = memoryIo();
    const code = await main(["run", join(EXAMPLES, f), "--check"], io);
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
    expect(io.stdout()).toContain("processes:");
  });
});

describe("memsim run: the scenarios in docs/msim.md", () => {
  const doc = readFileSync(fileURLToPath(new URL("../../../../docs/msim.md", import.meta.url)), "utf8");
  const blocks = [...doc.matchAll(/```msim\n([^`]*)```/g)].map((m) => m[1] as string);
  it("has runnable examples", () => expect(blocks.length).toBeGreaterThanOrEqual(3));
  it.each(blocks.map((b, i) => [i, b]))("block %i runs and passes its expects", async (_i, src) => {
    const r = await run(src as string, "--check");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});

const BASE = "config frames=32 swap=32\nspawn A text=8k data=4k bss=4k stack=16k\n";

describe("memsim run: outcomes and exit codes", () => {
  it("a syntax error is FILE:LINE:COL: message, exit 2", async () => {
    const r = await run(`${BASE}A write heap+zz 4\n`);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `${r.file}:3:9: expected an address (a number, or SEGMENT+OFFSET such as heap+0x10), found "heap+zz"\n`,
    );
  });

  it("an unknown command names the known ones", async () => {
    const r = await run(`${BASE}A jump text\n`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:3:3: unknown command "jump" \(known: .*brk.*write/);
  });

  it("a process used before it exists is an error at its column", async () => {
    const r = await run("spawn A\nB read heap 4\n");
    expect(r.err).toMatch(/:2:1: unknown command or process "B"/);
  });

  it("a failed expect exits 1 with a clear message, the run goes on", async () => {
    const r = await run(`${BASE}A write bss+0 4\nexpect A.faults.minor == 2\nexpect A.rss == 1\n`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${r.file}:4: expect A.faults.minor == 2 failed: A.faults.minor is 1\n`);
  });

  it("an unknown metric is an input error at its column", async () => {
    const r = await run(`${BASE}expect A.faults.bogus == 1\n`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:3:8: unknown metric "A.faults.bogus": A.faults has no "bogus"/);
  });

  it("an unknown address base is an input error at its column", async () => {
    const r = await run(`${BASE}A read nowhere+4 1\n`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:3:8: unknown address base "nowhere"/);
  });

  it("a bad configuration is reported at the config line", async () => {
    const r = await run("config frames=64 format=pdp11\nspawn A\n");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:1:8: unknown page-table format "pdp11"/);
  });

  it("a simulated crash is not an error: exit 0", async () => {
    const r = await run(`${BASE}A write text+0 1\nexpect A.signal == SIGSEGV\n`);
    expect(r.code).toBe(0);
    expect(r.out).toContain("A: SIGSEGV at 0x400000: write to a read-only page");
  });

  it("commands for a dead process are skipped with a note", async () => {
    const r = await run(`${BASE}A exit\nrepeat 3 A read bss+0 1\n`);
    expect(r.code).toBe(0);
    expect(r.out.match(/A has exited; "read" skipped/g)?.length).toBe(1);
  });

  it("a missing file is a usage error", async () => {
    const io = memoryIo();
    expect(await main(["run", join(dir, "none.msim")], io)).toBe(2);
    expect(io.stderr()).toMatch(/cannot read .*none.msim: no such file/);
  });

  it("--json prints the report with the documented keys", async () => {
    const r = await run(`${BASE}A write bss+0 4\nA fork B\nB write bss+0 4\n`, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const n of ["A", "B"])
      for (const k of ["pid", "state", "signal", "vsz", "rss", "swap"])
        expect(j.processes[n]).toHaveProperty(k);
    expect(j.processes.B.faults).toEqual(expect.objectContaining({ minor: 0, major: 0, cow: 1, segv: 0 }));
    for (const k of ["frames", "free_frames", "swap_slots", "swap_free"]) expect(j.memory).toHaveProperty(k);
    for (const k of ["hits", "misses", "flushes"]) expect(j.tlb).toHaveProperty(k);
  });

  it("--events prints one narrated line per event, tagged with the scenario line", async () => {
    const r = await run(`${BASE}A write bss+0 4\n`, "--events");
    expect(r.out).toMatch(
      / {3}3 {2}A: minor fault on write of 0x403000: page 0x403 was not present: the kernel took free frame \d+ and zero-filled it\n/,
    );
    expect(r.out).toMatch(/ {3}3 {2}TLB miss: page 0x403/);
  });

  it("show prints /proc views in Linux formats", async () => {
    const r = await run(`${BASE}A write bss+0 4\nshow maps A\nshow status A\nshow meminfo\n`);
    expect(r.out).toContain("00400000-00402000 r-xp 00000000 08:01 1000");
    expect(r.out).toMatch(/VmRSS:\t +4 kB/);
    expect(r.out).toMatch(/MemTotal: +128 kB/);
  });

  it("the tour without A touching buf first: B writing a page nobody touched is a zero-fill, not COW", async () => {
    const r = await run(
      [
        "config frames=64 page_size=4k format=x86-64 tlb=16 tlb_ways=4 policy=clock swap=128 asid=on seed=1",
        "lib libc size=64k",
        "spawn A text=16k data=8k bss=8k stack=64k lib=libc",
        "A brk +64k",
        "A write heap+0 64k",
        "A read  stack-8 8",
        "A mmap buf 32k rw private",
        "A fork B",
        "B write buf+0 4",
        "shm create s1 16k",
        "A shm attach s1 at=0x7000000000 rw",
        "B shm attach s1 rw",
        "A mprotect buf r",
        "A write buf+0 1",
        "repeat 100 B read heap+0 64k",
        "B exit",
        "expect B.faults.cow == 0",
        "expect B.faults.minor == 1",
        "expect A.signal == SIGSEGV",
        "expect memory.free_frames == 64",
        "",
      ].join("\n"),
      "--check",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});
