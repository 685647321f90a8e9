import { describe, expect, it } from "vitest";
import type { Pid } from "../base/index.js";
import { type ScenarioOutput, ScenarioRunner } from "./interpreter.js";
import { parseScenario } from "./parser.js";
import type { ProcessExtension } from "./registry.js";
import { createDefaultVerbs } from "./verbs.js";

/** A toy bump allocator in the heap, the way a heap layer plugs into the language. */
class Bump implements ProcessExtension {
  readonly seen: string[] = [];
  constructor(public next = 0) {}
  onAccess(access: string, va: number, len: number): void {
    this.seen.push(`${access} 0x${va.toString(16)} ${len}`);
  }
  fork(_child: Pid): ProcessExtension {
    return new Bump(this.next);
  }
  snapshot(): unknown {
    return this.next;
  }
  restore(s: unknown): void {
    this.next = s as number;
  }
}

function withBump() {
  const verbs = createDefaultVerbs();
  verbs.register({
    verb: "alloc",
    usage: "NAME alloc PTR SIZE",
    summary: "bump-allocate SIZE bytes of heap and name the block",
    parse(args, p) {
      p.arity(args, 2, 2);
      const name = p.name(args[0], "a pointer name");
      const size = p.size(args[1], "a size");
      return (ctx) => {
        const heap = ctx.extension("bump", () => new Bump());
        const old = ctx.machine.sbrk(ctx.pid, size);
        if (!old.ok) return ctx.print(old.error);
        heap.next += size;
        const at = old.value;
        ctx.symbols.define(name, () => at);
        ctx.print(`${name} = 0x${at.toString(16)} (${heap.next} bytes so far)`);
      };
    },
  });
  return verbs;
}

function run(src: string) {
  const parsed = parseScenario(src, withBump());
  if (!parsed.ok) throw new Error(parsed.error.message);
  const out: ScenarioOutput[] = [];
  const r = new ScenarioRunner(parsed.value, { check: true, onOutput: (o) => out.push(o) }).run();
  const prints = out.filter((o) => o.kind === "print").map((o) => (o.kind === "print" ? o.text : ""));
  return { r, out, prints };
}

describe("ScenarioRunner extension points", () => {
  it("a registered verb defines named addresses usable as SYMBOL+offset, through the real address space", () => {
    const { r, prints, out } = run(
      "spawn A\nA alloc p 40\nA write p+8 4 value=7\nA dump p+8 4\nexpect A.faults.minor == 1\n",
    );
    expect(r.error).toBeNull();
    expect(prints).toEqual(["p = 0x403000 (40 bytes so far)", "0x403008: 07 07 07 07"]);
    expect(out.some((o) => o.kind === "invariant")).toBe(false);
  });

  it("extensions observe the built-in accesses before they happen", () => {
    const verbs = withBump();
    let bump: Bump | null = null;
    verbs.register({
      verb: "peek",
      usage: "NAME peek",
      summary: "test hook",
      parse: () => (ctx) => {
        bump = ctx.extension("bump", () => new Bump());
      },
    });
    const parsed = parseScenario(
      "spawn A\nA alloc p 16\nA peek\nA write p+4 2\nA read p 1\nA dump p+1 1\nA exec text 1\n",
      verbs,
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    new ScenarioRunner(parsed.value).run();
    expect((bump as Bump | null)?.seen).toEqual([
      "write 0x403004 2",
      "read 0x403000 1",
      "read 0x403001 1",
      "exec 0x400000 1",
    ]);
  });

  it("fork gives the child the parent's symbols and a forked copy of extension state", () => {
    const { r, prints } = run("spawn A\nA alloc p 16\nA fork B\nB alloc q 16\nB write p+0 1\nA alloc q 8\n");
    expect(r.error).toBeNull();
    expect(prints).toEqual([
      "p = 0x403000 (16 bytes so far)",
      "q = 0x403010 (32 bytes so far)",
      "q = 0x403010 (24 bytes so far)",
    ]);
  });

  it("an unknown or unmapped base is an input error at its column", () => {
    const { r } = run("spawn A\nA write q+1 1\n");
    expect(r.error).toMatchObject({
      line: 2,
      col: 9,
      message: expect.stringMatching(
        /^unknown address base "q" \(known here: text, data, bss, heap, stack, kernel\)/,
      ),
    });
    const m = run("spawn A\nA mmap b 4k rw\nA munmap b\nA write b+0 1\n");
    expect(m.r.error).toMatchObject({
      line: 4,
      col: 9,
      message: `unknown address base "b" (known here: text, data, bss, heap, stack, kernel)`,
    });
  });

  it("a failed system call is a note, not an error", () => {
    const { r, prints } = run("spawn A\nA brk -4k\nA mmap b 4k rw at=0x1001\n");
    expect(r.error).toBeNull();
    expect(prints[0]).toMatch(/^A: brk failed: the break cannot go below the heap start/);
    expect(prints[1]).toMatch(/^A: mmap b failed: address 0x1001 is not page-aligned/);
  });

  it("snapshot and restore include extension state", () => {
    const parsed = parseScenario("spawn A\nA alloc p 16\nA alloc q 16\n", withBump());
    if (!parsed.ok) throw new Error("parse");
    const out: ScenarioOutput[] = [];
    const r = new ScenarioRunner(parsed.value, { onOutput: (o) => out.push(o) });
    r.step();
    r.step();
    const snap = r.snapshot();
    r.run();
    const first = out.slice(1);
    r.restore(snap);
    out.length = 1;
    r.run();
    expect(out.slice(1)).toEqual(first);
  });

  it("show prints the /proc views and the frame map", () => {
    const { prints } = run("config frames=16\nspawn A\nA write bss+0 1\nshow status A\nshow frames\ncheck\n");
    expect(prints[0]).toMatch(/^\/proc\/A\/status:\nName:\tA\nState:\tR \(running\)\nPid:\t1\n/);
    expect(prints[1]).toMatch(/^\/proc\/frames:\nPPPPa\.{11}\n/);
    expect(prints[2]).toBe("check: every kernel invariant holds");
  });
});

describe("every built-in command form", () => {
  it("runs with the expected effects", () => {
    const src = `config frames=48 swap=32 allocator=freelist tlb=8 tlb_ways=full tlb_policy=fifo kswapd=off wmark_min=1 wmark_low=2 wmark_high=3 guard=8k asid=off
lib libm size=8k
shm create seg 4k
spawn A text=8k data=4k bss=4k stack=16k lib=libm
A brk heap+8k
expect A.brk == 0x406000
A sbrk 4k
A sbrk -4k
expect A.brk == 0x406000
A write heap+0 8k value=0x11
A dump heap+0 4
A exec libm+0 8k
A mmap fixed 8k rw shared at=0x10000000
A write fixed+0 8k
A mprotect 0x10000000 4k r
A munmap 0x10001000 4k
A mmap spare 4k rwx
A exec spare+0 1
A munmap spare
A shm attach seg rw
A write seg+0 1
A fork B
B write heap+0 0x10 value=1
B shm detach seg
B exit 3
shm remove seg
A exit 7
expect A.exit_code == 7
expect B.exit_code == 3
expect A.faults.segv == 0
expect memory.free_frames == 48
expect tlb.flushes > 0
`;
    const parsed = parseScenario(src);
    if (!parsed.ok) throw new Error(`${parsed.error.line}:${parsed.error.col} ${parsed.error.message}`);
    const out: ScenarioOutput[] = [];
    const r = new ScenarioRunner(parsed.value, { check: true, onOutput: (o) => out.push(o) }).run();
    expect(r.error).toBeNull();
    expect(out.filter((o) => o.kind === "invariant")).toEqual([]);
    expect(r.expectFailures).toEqual([]);
    expect(out.filter((o) => o.kind === "print").map((o) => (o.kind === "print" ? o.text : ""))).toEqual([
      "0x404000: 11 11 11 11",
    ]);
  });
});
