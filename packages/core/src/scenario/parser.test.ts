import { describe, expect, it } from "vitest";
import type { Stmt } from "./ast.js";
import { parseScenario } from "./parser.js";
import type { VerbRegistry } from "./registry.js";
import { parseAddr, parseSignedSize, parseSize } from "./values.js";
import { createDefaultVerbs } from "./verbs.js";

const TOUR_EXAMPLE = `config frames=64 page_size=4k format=x86-64 tlb=16 tlb_ways=4 policy=clock swap=128 asid=on seed=1
lib libc size=64k
spawn A text=16k data=8k bss=8k stack=64k lib=libc
A brk +64k
A write heap+0 64k           # touch 64 KiB starting at the heap start
A read  stack-8 8
A mmap buf 32k rw private    # named region, usable as an address base: buf+0x100
A fork B
B write buf+0 4              # copy-on-write
shm create s1 16k
A shm attach s1 at=0x7000000000 rw
B shm attach s1 rw
A mprotect buf r
A write buf+0 1              # SIGSEGV: write to read-only, A is killed
repeat 100 B read heap+0 64k
B exit
expect B.faults.cow == 1
expect memory.free_frames == 64
`;

function parse(src: string) {
  const r = parseScenario(src);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.col}: ${r.error.message}`);
  return r.value.statements;
}

function error(src: string): string {
  const r = parseScenario(src);
  if (r.ok) throw new Error("expected a syntax error");
  return `${r.error.line}:${r.error.col}: ${r.error.message}`;
}

describe("values", () => {
  it("reads sizes, signed sizes and addresses", () => {
    expect(parseSize("64k")).toBe(65536);
    expect(parseSize("0x1000")).toBe(4096);
    expect(parseSize("2m")).toBe(2 * 1024 * 1024);
    expect(parseSize("1g")).toBe(1024 ** 3);
    expect(parseSize("12x")).toBeNull();
    expect(parseSignedSize("-4k")).toBe(-4096);
    expect(parseSignedSize("+64k")).toBe(65536);
    expect(parseAddr("heap+0x10", 3)).toEqual({ base: "heap", offset: 16, text: "heap+0x10", col: 3 });
    expect(parseAddr("stack-8", 1)).toMatchObject({ base: "stack", offset: -8 });
    expect(parseAddr("buf", 1)).toMatchObject({ base: "buf", offset: 0 });
    expect(parseAddr("0x7000000000", 1)).toMatchObject({ base: null, offset: 0x7000000000 });
    expect(parseAddr("p+8", 1)).toMatchObject({ base: "p", offset: 8 });
    expect(parseAddr("heap+", 1)).toBeNull();
  });
});

describe("parseScenario", () => {
  it("parses every command of the documented example", () => {
    const s = parse(TOUR_EXAMPLE);
    expect(s.map((x) => (x.kind === "process" ? `${x.process}.${x.verb}` : x.kind))).toEqual([
      "config",
      "lib",
      "spawn",
      "A.brk",
      "A.write",
      "A.read",
      "A.mmap",
      "A.fork",
      "B.write",
      "shm-create",
      "A.shm",
      "B.shm",
      "A.mprotect",
      "A.write",
      "repeat",
      "B.exit",
      "expect",
      "expect",
    ]);
    expect(s[0]).toMatchObject({
      config: {
        frames: 64,
        pageSize: 4096,
        format: "x86-64",
        tlbEntries: 16,
        tlbWays: 4,
        policy: "clock",
        swapSlots: 128,
        asid: true,
        seed: 1,
      },
    });
    expect(s[2]).toMatchObject({
      kind: "spawn",
      name: "A",
      text: 16384,
      data: 8192,
      bss: 8192,
      stack: 65536,
      libs: [{ name: "libc", col: 47 }],
    });
    expect(s[14]).toMatchObject({
      kind: "repeat",
      count: 100,
      line: 15,
      body: { kind: "process", process: "B", verb: "read" },
    });
    expect(s[16]).toMatchObject({ kind: "expect", metric: "B.faults.cow", op: "==", value: 1, metricCol: 8 });
  });

  it("skips comments and blank lines, keeping line numbers", () => {
    const s = parse("# a comment\n\nspawn A   # trailing\n  A read heap 4\n");
    expect(s.map((x) => x.line)).toEqual([3, 4]);
  });

  const errors: [string, string][] = [
    [
      "spawn A\nA write heap+zz 4",
      `2:9: expected an address (a number, or SEGMENT+OFFSET such as heap+0x10), found "heap+zz"`,
    ],
    ["spawn A\nA read heap", "2:12: read needs at least 2 argument(s)"],
    ["spawn A\nA read heap 4 5", `2:15: unexpected "5": read takes at most 2 argument(s)`],
    ["spawn A\nB read heap 4", `2:1: unknown command or process "B" (spawn a process before using it)`],
    ["config frames=lots", `1:15: frames must be a whole number, found "lots"`],
    [
      "config colour=blue",
      `1:8: unknown config key "colour" (known: frames, page_size, format, tlb, tlb_ways, tlb_policy, policy, swap, asid, seed, allocator, wmark_min, wmark_low, wmark_high, kswapd, guard)`,
    ],
    ["config asid=maybe", `1:13: asid must be on or off, found "maybe"`],
    ["spawn A\nconfig frames=4", "2:1: config must come before every other command"],
    ["spawn A lib=libc", `1:13: unknown library "libc": define it first with "lib libc size=…"`],
    ["spawn A\nspawn A", `2:7: process "A" already exists`],
    ["spawn A\nA mmap buf 4k rwz", `2:15: expected permissions (r, rw, rx, rwx or none), found "rwz"`],
    ["spawn A\nA mmap buf 4k rw public", `2:18: expected private, shared or at=ADDR, found "public"`],
    ["spawn A\nA fork A", `2:8: process "A" already exists`],
    ["spawn A\nA shm attach", "2:13: shm needs at least 3 argument(s)"],
    ["spawn A\nA shm open s", `2:7: expected "shm attach SEGMENT [at=ADDR] PROT" or "shm detach SEGMENT"`],
    [
      "shm make s 4k",
      `1:5: expected "shm create NAME SIZE" or "shm remove NAME" (processes attach with "NAME shm attach …")`,
    ],
    ["expect A.rss = 3", "1:14: expected one of == != <= >= < > after the metric"],
    ["expect A.state < running", `1:18: only == and != compare with a word like "running"`],
    [
      "repeat x A read heap 4",
      `1:8: expected a repeat count (a size such as 4096, 0x1000 or 64k), found "x"`,
    ],
    ["spawn A\nrepeat 3 spawn B", "2:10: spawn cannot be repeated"],
    ["show maps", "1:10: show maps needs a process name"],
    ["spawn A\nA write heap 4 value=300", `2:16: expected value=BYTE (0 to 255), found "value=300"`],
    [
      "spawn A\nA jump 4",
      '2:3: unknown command "jump" (known: brk, call, calloc, dump, exec, exit, fork, free, heap, leakcheck, local, malloc, mmap, mprotect, munmap, read, realloc, ret, sbrk, set, shm, write)',
    ],
  ];
  it.each(errors)("reports %j at line:col", (src, msg) => {
    expect(error(src)).toBe(msg);
  });

  it("lets another layer add a verb with one registration", () => {
    const verbs: VerbRegistry = createDefaultVerbs();
    const seen: number[] = [];
    verbs.register({
      verb: "malloc",
      usage: "NAME malloc PTR SIZE",
      summary: "allocate",
      parse(args, p) {
        p.arity(args, 2, 2);
        const name = p.name(args[0], "a pointer name");
        const size = p.size(args[1], "a size");
        return (ctx) => {
          seen.push(size);
          ctx.symbols.define(name, () => 0x1000);
        };
      },
    });
    const r = parseScenario("spawn A\nA malloc p 40\n", verbs);
    expect(r.ok).toBe(true);
    const bad = parseScenario("spawn A\nA malloc p\n", verbs);
    expect(bad).toMatchObject({
      ok: false,
      error: { line: 2, message: "malloc needs at least 2 argument(s)" },
    });
    expect(() => verbs.register({ verb: "write", usage: "", summary: "", parse: () => () => {} })).toThrow(
      /registered twice/,
    );
    const stmt = (r.ok ? r.value.statements[1] : undefined) as Extract<Stmt, { kind: "process" }>;
    expect(stmt.verb).toBe("malloc");
    expect(seen).toEqual([]);
  });
});
