import { describe, expect, it } from "vitest";
import { detectMallocLogFormat, mallocLogParser } from "./malloc-log.js";
import {
  type MallocTrace,
  MOP_CALLOC,
  MOP_FAILED,
  MOP_FREE,
  MOP_MALLOC,
  MOP_MEMALIGN,
  MOP_REALLOC,
  MOP_USABLE,
} from "./malloc-trace.js";

function parse(format: "valgrind" | "mtrace", text: string): MallocTrace[] {
  const p = mallocLogParser(format);
  text.split("\n").forEach((l, i) => {
    const e = p.line(l, i + 1);
    if (e) throw new Error(`${i + 1}: ${e.message}`);
  });
  return p.finish();
}

function ops(t: MallocTrace): string[] {
  return Array.from(t.kind, (k, i) => `${k}:${t.slot[i]}:${t.slot2[i]}:${t.size[i]}:${t.align[i]}`);
}

describe("Valgrind --trace-malloc=yes parser", () => {
  it("reads every line form of the fixtures' README and of Valgrind 3.19", () => {
    const [t] = parse(
      "valgrind",
      [
        "==7719== Memcheck, a memory error detector",
        "--7719-- malloc(32) = 0x4B6C040",
        "--7719-- calloc(13,16) = 0x4F650B0",
        "--7719-- realloc(0x4B6C040,200) = 0x4A400F0",
        "--7719-- realloc(0x0,1600)malloc(1600) = 0x4B08A10",
        "--7719-- realloc(0x4A400F0,0)free(0x4A400F0)",
        "--7719--  = 0",
        "--7719-- memalign(al 64, size 100) = 0x4A40240",
        "--7719-- _Znwm(48) = 0x5000000",
        "--7719-- _Znam(16) = 0x5000100",
        "--7719-- _ZnwmSt11align_val_t(size 128, al 64) = 0x5000200",
        "--7719-- malloc_usable_size(0x5000000) = 48",
        "--7719-- _ZdlPv(0x5000000)",
        "--7719-- _ZdlPvm(0x4A40240)",
        "--7719-- _ZdaPv(0x5000100)",
        "--7719-- _ZdlPvmSt11align_val_t(0x5000200)",
        "--7719-- free(0x0)",
        "--7719-- malloc(99) = 0x0",
        "--7719-- malloc(18446744073709551516)Argument 'size' of function malloc has a fishy (possibly negative) value: -100",
        "--7719--  = 0x0",
        "--7719-- free(0x12345)",
        "==7719== HEAP SUMMARY:",
      ].join("\n"),
    );
    expect(ops(t!)).toEqual([
      `${MOP_MALLOC}:0:-1:32:0`,
      `${MOP_CALLOC}:1:-1:208:0`,
      `${MOP_REALLOC}:0:2:200:0`,
      `${MOP_REALLOC}:-1:3:1600:0`,
      `${MOP_REALLOC}:2:-1:0:0`,
      `${MOP_MEMALIGN}:4:-1:100:64`,
      `${MOP_MALLOC}:5:-1:48:0`,
      `${MOP_MALLOC}:6:-1:16:0`,
      `${MOP_MEMALIGN}:7:-1:128:64`,
      `${MOP_USABLE}:5:-1:0:0`,
      `${MOP_FREE}:5:-1:0:0`,
      `${MOP_FREE}:4:-1:0:0`,
      `${MOP_FREE}:6:-1:0:0`,
      `${MOP_FREE}:7:-1:0:0`,
      `${MOP_FREE}:-1:-1:0:0`,
      `${MOP_FAILED}:-1:-1:99:0`,
      `${MOP_FAILED}:-1:-1:18446744073709552000:0`,
      `${MOP_FREE}:-1:-1:0:0`,
    ]);
    expect(t!.pid).toBe(7719);
    expect(t!.nullFrees).toBe(1);
    expect(t!.unmatchedFrees).toBe(1);
    expect(t!.calls._Znwm).toBe(1);
  });

  it("keeps the processes of one log apart, each with its own pending result", () => {
    const ts = parse(
      "valgrind",
      [
        "--10-- malloc(8) = 0x1000",
        "--20-- realloc(0x2000,0)free(0x2000)",
        "--10-- free(0x1000)",
        "--20--  = 0",
        "--20-- malloc(16) = 0x1000",
      ].join("\n"),
    );
    expect(ts.map((t) => [t.pid, t.length])).toEqual([
      [10, 2],
      [20, 2],
    ]);
    expect(ops(ts[1]!)[0]).toBe(`${MOP_REALLOC}:-1:-1:0:0`);
  });

  it("reports a malformed line with its line and column", () => {
    const p = mallocLogParser("valgrind");
    expect(p.line("--1-- malloc(32) = 0x10", 1)).toBeNull();
    expect(p.line("--1-- malloc(abc) = 0x10", 2)).toEqual({
      line: 2,
      col: 7,
      message: 'expected a size in malloc(…), found "abc"',
    });
    expect(p.line("garbage", 3)?.message).toMatch(
      /^expected a Valgrind line starting with --PID-- or ==PID==/,
    );
  });
});

describe("glibc mtrace parser", () => {
  it("reads +, -, < >, ! and (nil) lines, sizes in hex", () => {
    const [t] = parse(
      "mtrace",
      [
        "= Start",
        "@ /lib/x86_64-linux-gnu/libc.so.6:[0x39221] + 0x56086d99d2a0 0x30",
        "@ ./prog:[0x1189] < 0x56086d99d2a0",
        "@ ./prog:[0x1189] > 0x56086d99e000 0x800",
        "@ ./prog:[0x1199] + (nil) 0x10",
        "@ ./prog:[0x11a9] ! 0x56086d99e000 0x100000",
        "@ /lib/x86_64-linux-gnu/libc.so.6:(_IO_file_doallocate+8c)[0x758cc] - 0x56086d99e000",
        "= End",
      ].join("\n"),
    );
    expect(ops(t!)).toEqual([
      `${MOP_MALLOC}:0:-1:48:0`,
      `${MOP_REALLOC}:0:1:2048:0`,
      `${MOP_FAILED}:-1:-1:16:0`,
      `${MOP_FAILED}:-1:-1:1048576:0`,
      `${MOP_FREE}:1:-1:0:0`,
    ]);
  });

  it("detects the format from the first line", () => {
    expect(detectMallocLogFormat("==7719== Memcheck, a memory error detector")).toBe("valgrind");
    expect(detectMallocLogFormat("--7719-- malloc(1) = 0x10")).toBe("valgrind");
    expect(detectMallocLogFormat("= Start")).toBe("mtrace");
    expect(detectMallocLogFormat("I  0401ab70,3")).toBeNull();
  });
});
