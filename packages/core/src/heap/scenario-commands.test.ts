import { describe, expect, it } from "vitest";
import { createMachine } from "../kernel/machine.js";
import { parseScenario, ScenarioRunner } from "../scenario/index.js";
import { ProcessHeap } from "./process-heap.js";
import { HEAP_POLICIES } from "./registry.js";

// The standard verb registry already holds the heap commands.

function run(src: string) {
  const p = parseScenario(src);
  if (!p.ok) return { parseError: p.error, out: [] as string[], runner: null };
  const out: string[] = [];
  const runner = new ScenarioRunner(p.value, {
    onOutput: (o) => {
      if (o.kind === "print") out.push(o.text);
    },
  }).run();
  return { parseError: null, out, runner };
}

const HEAD = "config frames=256 format=x86-64\nspawn A text=16k data=8k bss=8k stack=64k\n";

describe("heap scenario commands", () => {
  it("malloc grows the process's brk heap; touched heap pages count in RSS", () => {
    const r = run(
      `${HEAD}A heap tlsf\nA malloc p 100000\nA calloc q 10 4\nA realloc q 400\nA malloc big 200k\n`,
    );
    expect(r.parseError).toBeNull();
    const m = r.runner!.machine!;
    const pid = r.runner!.pidOf("A")!;
    const proc = m.process(pid)!;
    expect(proc.brk).toBeGreaterThan(proc.layout.heapStart + 100000);
    expect(r.out.join("\n")).toMatch(/A: q = realloc\(0x[0-9a-f]+, 400\) = 0x[0-9a-f]+/);
    const rss = (src: string) =>
      (run(src).runner!.report() as unknown as { processes: Record<string, { rss: number }> }).processes.A!
        .rss;
    const untouched = rss(`${HEAD}A malloc p 100000\n`);
    const touched = rss(`${HEAD}A malloc p 100000\nA write p+0 100000\n`);
    expect(touched - untouched).toBeGreaterThanOrEqual(Math.floor(100000 / 4096) - 1);
  });

  it("the allocators run on a process's own memory, and the heap walker finds it intact", () => {
    const made = createMachine({ frames: 512 });
    if (!made.ok) throw new Error(made.problem);
    const m = made.machine;
    const s = m.spawn("A", { text: 16384, data: 8192, bss: 8192, stack: 65536 });
    if (!s.ok) throw new Error(s.error);
    for (const policy of HEAP_POLICIES) {
      const h = new ProcessHeap(m, s.value, { policy, memcheck: false, heap: { mmapThreshold: 16384 } });
      const a = h.libc.allocator;
      const ps = [10, 200, 3000, 40, 20000, 64].map((n) => h.libc.malloc(n));
      h.libc.free(ps[1]!);
      h.libc.free(ps[3]!);
      expect(h.libc.realloc(ps[0]!, 500)).not.toBe(0);
      expect(a.walk().problems).toEqual([]);
      expect(a.walk().blocks.some((b) => b.mmapped)).toBe(true);
      for (const p of [...h.libc.blocks()].map((b) => b.addr)) h.libc.free(p);
      expect(a.walk().problems).toEqual([]);
    }
  });

  it("calloc zeroes, set stores pointers in heap bytes, and a pointer name is an address base", () => {
    const r = run(`${HEAD}A calloc a 4 8\nA malloc b 8\nA set a+8 b\nA read a+8 8\nA leakcheck all\n`);
    const text = r.out.join("\n");
    expect(text).toContain("8 bytes in 1 blocks are still reachable");
    expect(text).toContain("32 bytes in 1 blocks are still reachable");
    expect(text).not.toContain("Invalid");
  });

  it("a local goes out of scope at ret and its block becomes definitely lost", () => {
    const r = run(`${HEAD}A call f\nA local q\nA malloc q 24\nA leakcheck\nA ret\nA leakcheck\n`);
    const text = r.out.join("\n");
    const [before, after] = text.split("LEAK SUMMARY");
    expect(before).not.toContain("definitely lost in loss record");
    expect(after).toBeDefined();
    expect(text).toContain("24 bytes in 1 blocks are definitely lost in loss record 1 of 1");
  });

  it("without memcheck a double free aborts the process as glibc does", () => {
    const r = run(`${HEAD}A heap first-fit memcheck=off\nA malloc p 40\nA free p\nA free p\n`);
    expect(r.out).toContain("free(): invalid pointer");
    const m = r.runner!.machine!;
    expect(m.process(r.runner!.pidOf("A")!)!.signal).toBe("SIGABRT");
  });

  it("reports mistakes at load time with line and column", () => {
    expect(run(`${HEAD}A malloc 40\n`).parseError).toMatchObject({ line: 3 });
    expect(run(`${HEAD}A malloc heap 40\n`).parseError?.message).toMatch(/heap is a segment name/);
    expect(run(`${HEAD}A heap quick-fit\n`).parseError?.message).toMatch(/expected an allocator/);
    expect(run(`${HEAD}A leakcheck everything\n`).parseError?.message).toMatch(/expected "all"/);
    expect(run(`${HEAD}A ret\n`).runner?.error?.message).toMatch(/no frame to return from/);
  });
});

describe("heap state in scenario snapshots", () => {
  it("restoring a snapshot and running on gives the same output, leak report included", () => {
    const src = `${HEAD}A heap tlsf\nA malloc a 100\nA malloc b 200\nA call f\nA local c\nA malloc c 50\nA free a\nA set b+8 c\nA ret\nA realloc b 4000\nA free a\nA read b+4000 1\nA leakcheck all\n`;
    const p = parseScenario(src);
    if (!p.ok) throw new Error(p.error.message);
    let out: string[] = [];
    const runner = new ScenarioRunner(p.value, {
      onOutput: (o) => {
        if (o.kind === "print") out.push(o.text);
      },
    });
    for (let i = 0; i < 6; i++) runner.step();
    const snap = runner.snapshot();
    out = [];
    runner.run();
    const first = out;
    expect(first.join("\n")).toContain("Invalid free()");
    expect(first.join("\n")).toContain("Invalid read of size 1");
    for (let round = 0; round < 2; round++) {
      out = [];
      runner.restore(snap);
      runner.run();
      expect(out).toEqual(first);
    }
  });
});
