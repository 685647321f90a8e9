import { describe, expect, it } from "vitest";
import { CollectingSink } from "../base/index.js";
import { POLICY_NAMES } from "../replacement/registry.js";
import type { KernelEvent } from "./events.js";
import { fileByte } from "./files.js";
import { createMachine, type Machine, type MachineConfig, type MachineEvent } from "./index.js";
import { PROT_READ, PROT_WRITE } from "./vma.js";

const SIZES = { text: 8192, data: 8192, bss: 8192, stack: 65536 };

function machine(c: MachineConfig = {}): { m: Machine; events: MachineEvent[] } {
  const r = createMachine({ frames: 64, ...c });
  if (!r.ok) throw new Error(r.problem);
  const sink = new CollectingSink<MachineEvent>();
  r.machine.setSink(sink);
  return { m: r.machine, events: sink.events };
}

function spawn(m: Machine, name = "A", libs: string[] = []): number {
  const r = m.spawn(name, SIZES, libs);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const faults = (events: MachineEvent[]) =>
  events
    .filter((e): e is Extract<KernelEvent, { kind: "page-fault" }> => e.kind === "page-fault")
    .map((e) => e.fault);

const layout = (m: Machine, pid: number) => m.process(pid)?.layout ?? (undefined as never);

describe("demand paging", () => {
  it("zero-fills anonymous pages on first touch (minor) and reads text from the image (major)", () => {
    const { m, events } = machine();
    const a = spawn(m);
    const L = layout(m, a);
    expect(m.read(a, L.bssStart, 4)).toEqual({ kind: "ok", value: new Uint8Array(4) });
    expect(m.exec(a, L.textStart, 1).kind).toBe("ok");
    expect(faults(events)).toEqual(["minor", "major"]);
    expect(m.process(a)?.faults).toMatchObject({ minor: 1, major: 1 });
    const text = m.read(a, L.textStart, 8);
    if (text.kind !== "ok") throw new Error("read failed");
    const file = m.kernel.s.files[m.process(a)?.imageText ?? -1];
    expect(Array.from(text.value)).toEqual(Array.from({ length: 8 }, (_, i) => fileByte(file as never, i)));
    expect(m.check()).toEqual([]);
  });

  it("grows the stack within its limit and refuses the guard gap", () => {
    const { m, events } = machine({ guardGap: 16384 });
    const a = spawn(m);
    const L = layout(m, a);
    expect(m.write(a, L.stackTop - 8, new Uint8Array(8)).kind).toBe("ok");
    expect(m.write(a, L.stackTop - 20000, new Uint8Array(8)).kind).toBe("ok");
    expect(faults(events)).toEqual(["minor", "stack-growth"]);
    const r = m.write(a, L.stackTop - L.stackLimit - 100, new Uint8Array(1));
    expect(r).toEqual({ kind: "segv", va: L.stackTop - L.stackLimit - 100, reason: "stack-guard" });
    expect(m.process(a)?.state).toBe("killed");
    expect(m.check()).toEqual([]);
  });

  it("a private data page is read from the image, and its first write keeps the frame (last sharer)", () => {
    const { m } = machine();
    const a = spawn(m);
    const L = layout(m, a);
    m.read(a, L.dataStart, 1);
    expect(m.process(a)?.rss).toMatchObject({ file: 1, anon: 0 });
    m.write(a, L.dataStart, Uint8Array.of(9));
    expect(m.process(a)?.rss).toMatchObject({ file: 0, anon: 1 });
    expect(m.process(a)?.faults).toMatchObject({ major: 1, cow: 1 });
    expect(m.kernel.s.counters.cowReuses).toBe(1);
    expect(m.check()).toEqual([]);
  });
});

describe("SIGSEGV reasons (each kills only the faulting process)", () => {
  const cases: [string, (m: Machine, pid: number) => unknown, string][] = [
    ["unmapped", (m, p) => m.read(p, 0, 1), "unmapped"],
    ["write to text", (m, p) => m.write(p, layout(m, p).textStart, Uint8Array.of(1)), "write-read-only"],
    ["exec of data", (m, p) => m.exec(p, layout(m, p).bssStart, 1), "exec-non-exec"],
    ["kernel page", (m, p) => m.read(p, m.config.format.vaMin, 1), "kernel-page"],
    ["non-canonical", (m, p) => m.read(p, 2 ** 47 + 4096, 1), "bad-address"],
    [
      "PROT_NONE mapping",
      (m, p) => {
        const at = ok(m.mmap(p, { length: 4096, prot: 0, shared: false, at: null, label: "x" }));
        return m.read(p, at, 1);
      },
      "read-no-access",
    ],
  ];
  it.each(cases)("%s", (_name, act, reason) => {
    const { m } = machine();
    const a = spawn(m, "A");
    const b = spawn(m, "B");
    m.write(b, layout(m, b).bssStart, Uint8Array.of(5));
    const r = act(m, a) as { kind: string; reason?: string };
    expect(r.kind).toBe("segv");
    expect(r.reason).toBe(reason);
    expect(m.process(a)).toMatchObject({ state: "killed", signal: "SIGSEGV" });
    expect(m.process(a)?.faults.segv).toBe(1);
    expect(m.process(b)?.isRunning()).toBe(true);
    expect(m.readWord(b, layout(m, b).bssStart, 1)).toEqual({ kind: "ok", value: 5 });
    expect(m.check()).toEqual([]);
  });

  it("exec of a non-executable page that is already present is refused by the NX bit", () => {
    const { m } = machine();
    const a = spawn(m);
    m.write(a, layout(m, a).bssStart, Uint8Array.of(1));
    expect(m.exec(a, layout(m, a).bssStart, 1)).toMatchObject({ kind: "segv", reason: "exec-non-exec" });
  });
});

describe("fork and copy-on-write", () => {
  it("shares frames, copies on the first write, lets the last sharer write in place", () => {
    const { m, events } = machine();
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 8192));
    m.write(a, L.heapStart, Uint8Array.of(1, 2, 3));
    const b = ok(m.fork(a, "B"));
    const ft = m.hw.mem.frameTable;
    const shared = m.kernel.s.rmap.findIndex((r) => r.length === 2);
    expect(ft.mapCount[shared]).toBe(2);
    expect(m.whoMaps(shared).map((r) => [r.name, r.va])).toEqual([
      ["A", L.heapStart],
      ["B", L.heapStart],
    ]);
    m.write(b, L.heapStart, Uint8Array.of(9));
    expect(m.readWord(a, L.heapStart, 1)).toEqual({ kind: "ok", value: 1 });
    expect(m.readWord(b, L.heapStart, 1)).toEqual({ kind: "ok", value: 9 });
    expect(m.readWord(b, L.heapStart + 1, 1)).toEqual({ kind: "ok", value: 2 });
    expect(ft.mapCount[shared]).toBe(1);
    m.write(a, L.heapStart, Uint8Array.of(7));
    const kinds = events.filter((e) => e.kind === "cow-copy" || e.kind === "cow-reuse").map((e) => e.kind);
    expect(kinds).toEqual(["cow-copy", "cow-reuse"]);
    expect(m.process(b)?.faults.cow).toBe(1);
    expect(m.process(a)?.faults.cow).toBe(1);
    expect(m.check()).toEqual([]);
  });

  it("keeps MAP_SHARED memory shared with the child", () => {
    const { m } = machine();
    const a = spawn(m);
    const at = ok(
      m.mmap(a, { length: 4096, prot: PROT_READ | PROT_WRITE, shared: true, at: null, label: "s" }),
    );
    m.write(a, at, Uint8Array.of(1));
    const b = ok(m.fork(a, "B"));
    m.write(b, at, Uint8Array.of(42));
    expect(m.readWord(a, at, 1)).toEqual({ kind: "ok", value: 42 });
    expect(m.kernel.s.counters.cowCopies).toBe(0);
    ok(m.exit(a));
    ok(m.exit(b));
    expect(m.check()).toEqual([]);
    expect(m.report().memory.free_frames).toBe(64);
  });

  it("copies every private page at fork on a format without a COW bit", () => {
    const { m } = machine({ format: "ostep-2level", frames: 128, swapSlots: 0 });
    const r = m.spawn("A", { text: 64, data: 64, bss: 64, stack: 256 });
    const a = ok(r);
    const L = layout(m, a);
    m.write(a, L.bssStart, Uint8Array.of(3));
    const b = ok(m.fork(a, "B"));
    m.write(b, L.bssStart, Uint8Array.of(4));
    expect(m.readWord(a, L.bssStart, 1)).toEqual({ kind: "ok", value: 3 });
    expect(m.kernel.s.counters.cowCopies).toBe(0);
    expect(m.check()).toEqual([]);
  });
});

describe("swap and reclaim", () => {
  it("swaps anonymous pages out and back in with their bytes", () => {
    const { m, events } = machine({ frames: 16, swapSlots: 64 });
    const a = spawn(m);
    const L = layout(m, a);
    const pages = 24;
    ok(m.brk(a, L.heapStart + pages * 4096));
    for (let i = 0; i < pages; i++) m.write(a, L.heapStart + i * 4096, Uint8Array.of(i + 1));
    expect(m.process(a)?.rss.swap).toBeGreaterThan(0);
    for (let i = 0; i < pages; i++)
      expect(m.readWord(a, L.heapStart + i * 4096, 1)).toEqual({ kind: "ok", value: i + 1 });
    expect(events.some((e) => e.kind === "swap-out")).toBe(true);
    expect(events.some((e) => e.kind === "swap-in")).toBe(true);
    expect(m.check()).toEqual([]);
    ok(m.exit(a));
    expect(m.report().memory).toMatchObject({ free_frames: 16, swap_free: 64 });
  });

  it("drops clean file pages and reads them again (a second major fault)", () => {
    const { m, events } = machine({ frames: 16, swapSlots: 0 });
    const a = spawn(m);
    const L = layout(m, a);
    m.exec(a, L.textStart, 1);
    ok(m.brk(a, L.heapStart + 40 * 4096));
    for (let i = 0; i < 40 && m.process(a)?.isRunning(); i++) {
      m.write(a, L.heapStart + i * 4096, Uint8Array.of(1));
      if (events.some((e) => e.kind === "evict" && e.action === "drop")) break;
    }
    expect(events.some((e) => e.kind === "evict" && e.action === "drop")).toBe(true);
    const before = m.process(a)?.faults.major ?? 0;
    m.exec(a, L.textStart, 1);
    expect(m.process(a)?.faults.major).toBe(before + 1);
    expect(m.check()).toEqual([]);
  });

  it("kswapd keeps free frames between the watermarks", () => {
    const { m, events } = machine({ frames: 32, watermarks: { min: 2, low: 4, high: 8 } });
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 40 * 4096));
    m.fill(a, L.heapStart, 40 * 4096, 1);
    expect(events.some((e) => e.kind === "kswapd")).toBe(true);
    expect(m.kernel.freeFrames()).toBeGreaterThanOrEqual(2);
    expect(m.check()).toEqual([]);
  });

  it("the OOM killer takes the largest resident set and says why", () => {
    const { m, events } = machine({ frames: 32, swapSlots: 8 });
    const small = spawn(m, "small");
    const hog = spawn(m, "hog");
    ok(m.brk(small, layout(m, small).heapStart + 4096));
    m.write(small, layout(m, small).heapStart, Uint8Array.of(1));
    ok(m.brk(hog, layout(m, hog).heapStart + 64 * 4096));
    const r = m.fill(hog, layout(m, hog).heapStart, 64 * 4096, 1);
    expect(r.kind).toBe("killed");
    const kill = events.find((e) => e.kind === "oom-kill");
    expect(kill).toMatchObject({ name: "hog" });
    expect(kill && "reason" in kill ? kill.reason : "").toMatch(
      /out of memory: all 32 frames are in use and all 8 swap slots are full; killed hog \(pid 2\), the largest resident set/,
    );
    expect(m.process(hog)).toMatchObject({ state: "killed", signal: "SIGKILL" });
    expect(m.process(small)?.isRunning()).toBe(true);
    expect(m.check()).toEqual([]);
  });
});

describe("memory system calls", () => {
  it("brk shrinks free pages; munmap and mprotect change what is legal", () => {
    const { m } = machine();
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 3 * 4096));
    m.fill(a, L.heapStart, 3 * 4096, 1);
    expect(m.process(a)?.rss.anon).toBe(3);
    ok(m.sbrk(a, -2 * 4096));
    expect(m.process(a)?.rss.anon).toBe(1);
    expect(m.brk(a, L.heapStart - 1).ok).toBe(false);
    const at = ok(
      m.mmap(a, { length: 8192, prot: PROT_READ | PROT_WRITE, shared: false, at: null, label: "b" }),
    );
    expect(at + 8192).toBeLessThanOrEqual(L.mmapBase);
    m.fill(a, at, 8192, 2);
    ok(m.mprotect(a, at, 4096, PROT_READ));
    expect(m.readWord(a, at, 1)).toEqual({ kind: "ok", value: 2 });
    ok(m.mprotect(a, at, 4096, PROT_READ | PROT_WRITE));
    expect(m.write(a, at, Uint8Array.of(3)).kind).toBe("ok");
    ok(m.munmap(a, at + 4096, 4096));
    expect(m.procMaps(a)).toMatch(
      new RegExp(`\\n${at.toString(16)}-${(at + 4096).toString(16)} rw-p 00000000 00:00 0 +\\[anon:b\\]\\n`),
    );
    expect(m.read(a, at + 4096, 1)).toMatchObject({ kind: "segv", reason: "unmapped" });
    expect(m.check()).toEqual([]);
  });

  it("mprotect to read-only makes the next write a SIGSEGV", () => {
    const { m } = machine();
    const a = spawn(m);
    const at = ok(
      m.mmap(a, { length: 4096, prot: PROT_READ | PROT_WRITE, shared: false, at: null, label: "b" }),
    );
    m.write(a, at, Uint8Array.of(1));
    ok(m.mprotect(a, at, 4096, PROT_READ));
    expect(m.write(a, at, Uint8Array.of(1))).toMatchObject({ kind: "segv", reason: "write-read-only" });
  });

  it("shared memory: attach, see the other side's writes, detach, remove", () => {
    const { m } = machine();
    const a = spawn(m, "A");
    const b = spawn(m, "B");
    ok(m.shmCreate("s", 8192));
    const pa = ok(m.shmAttach(a, "s", null, PROT_READ | PROT_WRITE));
    const pb = ok(m.shmAttach(b, "s", 0x7000000000, PROT_READ));
    expect(pb).toBe(0x7000000000);
    m.write(a, pa + 4096, Uint8Array.of(77));
    expect(m.readWord(b, pb + 4096, 1)).toEqual({ kind: "ok", value: 77 });
    expect(m.process(b)?.rss.shmem).toBe(1);
    ok(m.shmDetach(a, "s"));
    ok(m.shmRemove("s"));
    expect(m.kernel.s.shm.has("s")).toBe(true);
    ok(m.shmDetach(b, "s"));
    expect(m.kernel.s.shm.has("s")).toBe(false);
    ok(m.exit(a));
    ok(m.exit(b));
    expect(m.check()).toEqual([]);
    expect(m.report().memory.free_frames).toBe(64);
  });

  it("shared libraries: one copy of the text, a minor fault for the second process", () => {
    const { m } = machine();
    ok(m.defineLibrary("libc", 16384));
    const a = spawn(m, "A", ["libc"]);
    const b = spawn(m, "B", ["libc"]);
    const lib = (pid: number) =>
      m
        .process(pid)
        ?.vmas.all()
        .find((v) => v.kind === "lib")?.start ?? 0;
    m.exec(a, lib(a), 16384);
    m.exec(b, lib(b), 16384);
    expect(m.process(a)?.faults.major).toBe(4);
    expect(m.process(b)?.faults).toMatchObject({ major: 0, minor: 4 });
    expect(m.report().processes.A?.pss).toBe(2);
    expect(m.procSmaps(a)).toMatch(/\/lib\/libc.so\nSize: +16 kB\n(.|\n)*Rss: +16 kB\nPss: +8 kB\n/);
  });
});

describe("context switches", () => {
  it("flush the TLB without ASIDs and keep entries with them", () => {
    for (const asid of [true, false]) {
      const { m } = machine({ asid });
      const a = spawn(m, "A");
      const b = spawn(m, "B");
      m.read(a, layout(m, a).bssStart, 1);
      m.read(b, layout(m, b).bssStart, 1);
      const flushes = m.hw.tlb.flushes;
      const hits = m.hw.tlb.hits;
      m.read(a, layout(m, a).bssStart, 1);
      expect(m.hw.tlb.hits - hits).toBe(asid ? 1 : 0);
      expect(m.hw.tlb.flushes - flushes).toBe(asid ? 0 : 1);
    }
  });
});

describe("/proc views", () => {
  it("print maps, status and meminfo as Linux does", () => {
    const { m } = machine();
    const a = spawn(m);
    m.write(a, layout(m, a).bssStart, Uint8Array.of(1));
    const maps = m.procMaps(a) ?? "";
    expect(maps.split("\n")[0]).toBe(`00400000-00402000 r-xp 00000000 08:01 1000${" ".repeat(31)}/bin/A`);
    expect(maps).toContain("00404000-00406000 rw-p 00000000 00:00 0\n");
    expect(maps).toMatch(/7fffffffe000-7ffffffff000 rw-p 00000000 00:00 0 +\[stack\]/);
    const status = m.procStatus(a) ?? "";
    for (const k of ["VmSize", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmSwap"])
      expect(status).toMatch(new RegExp(`${k}:\\t +\\d+ kB\\n`));
    expect(status).toContain("RssAnon:\t       4 kB\n");
    expect(m.meminfo()).toMatch(/^MemTotal: +256 kB\nMemFree: +\d+ kB\n/);
    expect(m.meminfo()).toMatch(/SwapTotal: +512 kB\nSwapFree: +512 kB/);
  });
});

describe("invariant checker", () => {
  it("notices a corrupted map count and a leaked frame", () => {
    const { m } = machine();
    const a = spawn(m);
    m.write(a, layout(m, a).bssStart, Uint8Array.of(1));
    const pfn = m.kernel.s.rmap.findIndex((r) => r.length === 1);
    const ft = m.hw.mem.frameTable;
    ft.mapCount[pfn] = 2;
    expect(m.check().join("\n")).toMatch(new RegExp(`frame ${pfn}: map count 2 but 1 PTEs map it`));
    ft.mapCount[pfn] = 1;
    const leaked = m.kernel.s.allocator.alloc();
    ft.setUse(leaked as never, 2, 1);
    expect(m.check().join("\n")).toMatch(/is a user page the replacement policy does not know/);
  });
});

describe("snapshot and restore", () => {
  it("replay after restore gives identical events and state", () => {
    const { m, events } = machine({ frames: 16, swapSlots: 32 });
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 20 * 4096));
    m.fill(a, L.heapStart, 6 * 4096, 1);
    const snap = m.snapshot();
    const mark = events.length;
    const work = () => {
      const b = ok(m.fork(a, "B"));
      m.fill(b, L.heapStart, 20 * 4096, 2);
      m.fill(a, L.heapStart, 10 * 4096, 3);
      ok(m.exit(b));
    };
    work();
    const first = events.slice(mark);
    const report = JSON.stringify(m.report());
    m.restore(snap);
    events.length = mark;
    work();
    expect(events.slice(mark)).toEqual(first);
    expect(JSON.stringify(m.report())).toBe(report);
    expect(m.check()).toEqual([]);
  });
});

describe("configuration", () => {
  it("refuses impossible settings with a sentence", () => {
    expect(createMachine({ format: "ostep-2level", swapSlots: 4 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no room for swap entries/),
    });
    expect(createMachine({ pageSize: 8192 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/4096-byte pages/),
    });
    expect(createMachine({ policy: "psychic" })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/unknown replacement policy/),
    });
    expect(createMachine({ tlbEntries: 12, tlbWays: 8 })).toMatchObject({ ok: false });
    expect(createMachine({ frames: 64, watermarks: { min: 10, low: 5 } })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/watermarks/),
    });
  });

  it.each(["x86-32", "sv39", "linear"])("runs on the %s format", (format) => {
    const { m } = machine({ format, frames: 64 });
    const a = spawn(m);
    const L = layout(m, a);
    m.write(a, L.bssStart, Uint8Array.of(1));
    const b = ok(m.fork(a, "B"));
    m.write(b, L.bssStart, Uint8Array.of(2));
    expect(m.readWord(a, L.bssStart, 1)).toEqual({ kind: "ok", value: 1 });
    expect(m.read(a, L.userTop, 1)).toMatchObject({ kind: "segv" });
    expect(m.check()).toEqual([]);
  });

  it("works with the free-list frame allocator", () => {
    const { m } = machine({ allocator: "freelist", frames: 16 });
    const a = spawn(m);
    ok(m.brk(a, layout(m, a).heapStart + 30 * 4096));
    m.fill(a, layout(m, a).heapStart, 30 * 4096, 1);
    expect(m.check()).toEqual([]);
    ok(m.exit(a));
    expect(m.report().memory).toMatchObject({ free_frames: 16 });
  });
});

describe("every online replacement policy plugs into the kernel", () => {
  const names = POLICY_NAMES.filter((n) => n !== "opt");
  it.each(names)("%s keeps the invariants while swapping", (policy) => {
    const { m } = machine({ frames: 24, swapSlots: 96, policy });
    const a = spawn(m, "A");
    const b = spawn(m, "B");
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 40 * 4096));
    ok(m.brk(b, L.heapStart + 20 * 4096));
    for (let round = 0; round < 3; round++) {
      expect(m.fill(a, L.heapStart, 40 * 4096, round).kind).toBe("ok");
      expect(m.fill(b, L.heapStart, 20 * 4096, round).kind).toBe("ok");
      expect(m.check()).toEqual([]);
    }
    expect(m.readWord(a, L.heapStart + 5 * 4096, 1)).toEqual({ kind: "ok", value: 2 });
    expect(m.kernel.s.counters.oomKills).toBe(0);
    // Snapshots carry the policy's own state: the same accesses evict the same pages again.
    const snap = m.snapshot();
    const sweep = () => {
      for (let i = 0; i < 60; i++)
        m.touch(i % 2 ? a : b, L.heapStart + ((i * 7) % 20) * 4096, i % 3 ? "read" : "write");
      return JSON.stringify(m.report());
    };
    const first = sweep();
    m.restore(snap);
    expect(sweep()).toBe(first);
  });

  it("refuses OPT, which needs the future", () => {
    expect(createMachine({ policy: "opt" })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/needs to know the future/),
    });
  });
});

describe("brk after mprotect split the heap", () => {
  it("moves the top piece and frees whole pieces when shrinking", () => {
    const { m } = machine();
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 4 * 4096));
    m.fill(a, L.heapStart, 4 * 4096, 1);
    ok(m.mprotect(a, L.heapStart + 4096, 4096, PROT_READ));
    ok(m.brk(a, L.heapStart + 6 * 4096));
    const heaps =
      m
        .process(a)
        ?.vmas.all()
        .filter((v) => v.kind === "heap") ?? [];
    expect(heaps.map((v) => [v.start - L.heapStart, v.end - L.heapStart])).toEqual([
      [0, 4096],
      [4096, 8192],
      [8192, 6 * 4096],
    ]);
    ok(m.brk(a, L.heapStart + 4096));
    expect(
      m
        .process(a)
        ?.vmas.all()
        .filter((v) => v.kind === "heap").length,
    ).toBe(1);
    expect(m.process(a)?.rss.anon).toBe(1);
    expect(m.check()).toEqual([]);
  });
});

describe("working-set expiry", () => {
  const run = (policy: string) => {
    const { m, events } = machine({ frames: 64, swapSlots: 32, policy });
    const a = spawn(m);
    const L = layout(m, a);
    ok(m.brk(a, L.heapStart + 2 * 4096));
    expect(m.fill(a, L.heapStart, 1, 0x5a).kind).toBe("ok");
    // Window τ defaults to 4 × 64 = 256 references; page 1 alone is referenced past it.
    for (let i = 0; i < 300; i++) expect(m.touch(a, L.heapStart + 4096, "read")).toBe(true);
    expect(m.check()).toEqual([]);
    const evicted = events.filter((e) => e.kind === "evict").map((e) => (e as { vpn: number }).vpn);
    return { m, a, L, evicted };
  };

  it("ws releases a page that left the window although frames are free, by the eviction path", () => {
    const { m, a, L, evicted } = run("ws");
    expect(evicted).toContain(L.heapStart / 4096);
    expect(evicted).not.toContain(L.heapStart / 4096 + 1);
    expect(m.kernel.s.counters.swapOuts).toBeGreaterThanOrEqual(1);
    // The page comes back from swap with its contents on the next touch.
    expect(m.readWord(a, L.heapStart, 1)).toEqual({ kind: "ok", value: 0x5a });
  });

  it("lru keeps every page while frames are free", () => {
    expect(run("lru").evicted).toEqual([]);
  });
});
