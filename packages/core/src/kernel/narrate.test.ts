import { describe, expect, it } from "vitest";
import { type ScenarioOutput, ScenarioRunner } from "../scenario/interpreter.js";
import { parseScenario } from "../scenario/parser.js";

const SCENARIO = `config frames=28 swap=12 policy=clock guard=8k
lib libc size=8k
shm create s 4k
spawn A text=8k data=8k bss=4k stack=16k lib=libc
spawn B text=4k data=4k bss=4k stack=16k lib=libc
A exec libc+0 8k
B exec libc+0 4k
A read data+0 1
A write data+0 1
A write stack-8k 8
A brk +64k
A write heap+0 64k
A mmap m 8k rw shared
A write m+0 1
A mprotect m r
A shm attach s rw
A write s+0 1
A write heap+0 1
A fork C
C write heap+0 1
A write heap+0 1
C shm detach s
A munmap m
B write stack-30k 1
shm remove s
C brk +256k
C write heap+0 256k
A exit
`;

describe("describeEvent", () => {
  it("narrates every kind of event in plain words", () => {
    const parsed = parseScenario(SCENARIO);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const out: ScenarioOutput[] = [];
    new ScenarioRunner(parsed.value, { events: true, check: true, onOutput: (o) => out.push(o) }).run();
    const events = out.filter((o) => o.kind === "event");
    const kinds = new Set(events.map((o) => (o.kind === "event" ? o.event.kind : "")));
    for (const k of [
      "spawn",
      "fork",
      "exit",
      "page-fault",
      "zero-fill",
      "file-read",
      "page-cache-hit",
      "swap-in",
      "evict",
      "swap-out",
      "cow-copy",
      "cow-reuse",
      "stack-grow",
      "segv",
      "oom-kill",
      "pt-alloc",
      "pt-free",
      "brk",
      "mmap",
      "munmap",
      "mprotect",
      "shm-create",
      "shm-attach",
      "shm-detach",
      "context-switch",
      "tlb-miss",
      "tlb-fill",
      "walk",
      "fault",
    ])
      expect(kinds, k).toContain(k);
    for (const o of events) if (o.kind === "event") expect(o.text).not.toMatch(/undefined|NaN|\[object/);
    const texts = events.map((o) => (o.kind === "event" ? o.text : ""));
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^A: minor fault on write of 0x[0-9a-f]+: page 0x[0-9a-f]+ was not present: the kernel took free frame \d+ and zero-filled it$/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^B: major fault on exec of 0x[0-9a-f]+: .*read page 0 of \/lib\/libc.so|^B: minor fault on exec of .*already in memory \(page 0 of \/lib\/libc.so\)$/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^OOM killer: out of memory: all 28 frames are in use and all 12 swap slots are full; killed C/,
      ),
    );
    expect(out.filter((o) => o.kind === "invariant")).toEqual([]);
  });
});
