import { describe, expect, it } from "vitest";
import { ProcessHeap } from "../heap/process-heap.js";
import { createMachine } from "../kernel/machine.js";
import { KernelObjectMemory } from "./kernel-memory.js";
import { PyRuntime } from "./runtime.js";

describe("Python objects in a simulated process", () => {
  it("arenas are mmaps of the process, touched pages show in RSS, big objects use its malloc", () => {
    const m = createMachine({ frames: 1024 });
    if (!m.ok) throw new Error(m.problem);
    const machine = m.machine;
    const spawned = machine.spawn("python", { text: 8192, data: 8192, bss: 8192, stack: 65536 });
    if (!spawned.ok) throw new Error(spawned.error);
    const pid = spawned.value;
    const heap = new ProcessHeap(machine, pid);
    const rssBefore = machine.report().processes.python!.rss;
    const rt = new PyRuntime({ memory: new KernelObjectMemory(machine, pid, heap.libc) });
    const A = rt.newClass({ name: "A" }); // 1688 bytes: from the C heap
    expect(heap.libc.mallocUsableSize(rt.space.addr[A]!)).toBeGreaterThanOrEqual(1688);
    const objs = Array.from({ length: 200 }, () => rt.newInstance(A));
    // the instance lies in a 1 MiB anonymous mapping of the process (the arena)
    const addr = rt.space.addr[objs[0]!]!;
    const arena = machine
      .procMaps(pid)!
      .split("\n")
      .map((l) => /^([0-9a-f]+)-([0-9a-f]+)/.exec(l))
      .find((r) => r !== null && Number.parseInt(r[1]!, 16) <= addr && addr < Number.parseInt(r[2]!, 16));
    expect(arena).toBeDefined();
    // its pathname column names it, as Linux names [heap] and [stack]
    expect(arena!.input).toMatch(/ \[pymalloc\]$/);
    expect(Number.parseInt(arena![2]!, 16) - Number.parseInt(arena![1]!, 16)).toBe(1 << 20);
    const rss = machine.report().processes.python!.rss;
    // a few pages of instances and values, not the whole 1 MiB arena
    expect(rss - rssBefore).toBeGreaterThan(2);
    expect(rss - rssBefore).toBeLessThan(64);
    for (const o of objs) rt.decref(o);
    rt.gc.collect();
    expect(rt.pymalloc.stats().blocksInUse).toBe(0);
    // the emptied arena is unmapped again
    expect(rt.pymalloc.stats().arenasCurrent).toBe(0);
  });
});
