/**
 * memcheck against real Valgrind 3.19 output. The expected texts below were produced by
 * running `valgrind --leak-check=full [--show-leak-kinds=all]` on small C programs (their
 * source is quoted in each test) and normalising only what cannot match a simulation: the
 * code addresses in stack frames (`at 0x48417B4: malloc (in ...vgpreload...)` becomes
 * `at malloc`) and the heap addresses in `Address 0x...` lines (checked separately).
 */
import { describe, expect, it } from "vitest";
import { ArenaBacking } from "./backing.js";
import { FirstFitHeap } from "./first-fit.js";
import { Libc } from "./libc.js";
import { errorLines, leakLines, prefixLines } from "./memcheck-format.js";

const LEAKS_ALL =
  "==1== HEAP SUMMARY:\n==1==     in use at exit: 1,234,735 bytes in 10 blocks\n==1==   total heap usage: 10 allocs, 0 frees, 1,234,735 bytes allocated\n==1== \n==1== 8 bytes in 1 blocks are definitely lost in loss record 1 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:11)\n==1== \n==1== 16 bytes in 1 blocks are indirectly lost in loss record 2 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:6)\n==1== \n==1== 16 bytes in 1 blocks are indirectly lost in loss record 3 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:7)\n==1== \n==1== 16 bytes in 1 blocks are indirectly lost in loss record 4 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:8)\n==1== \n==1== 16 bytes in 1 blocks are indirectly lost in loss record 5 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:15)\n==1== \n==1== 24 bytes in 1 blocks are still reachable in loss record 6 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:12)\n==1== \n==1== 32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 7 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:14)\n==1== \n==1== 40 bytes in 1 blocks are possibly lost in loss record 8 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:13)\n==1== \n==1== 64 (16 direct, 48 indirect) bytes in 1 blocks are definitely lost in loss record 9 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:5)\n==1== \n==1== 1,234,567 bytes in 1 blocks are definitely lost in loss record 10 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:17)\n==1== \n==1== LEAK SUMMARY:\n==1==    definitely lost: 1,234,607 bytes in 4 blocks\n==1==    indirectly lost: 64 bytes in 4 blocks\n==1==      possibly lost: 40 bytes in 1 blocks\n==1==    still reachable: 24 bytes in 1 blocks\n==1==         suppressed: 0 bytes in 0 blocks\n";
const LEAKS_DEFAULT =
  "==1== HEAP SUMMARY:\n==1==     in use at exit: 1,234,735 bytes in 10 blocks\n==1==   total heap usage: 10 allocs, 0 frees, 1,234,735 bytes allocated\n==1== \n==1== 8 bytes in 1 blocks are definitely lost in loss record 1 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:11)\n==1== \n==1== 32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 7 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:14)\n==1== \n==1== 40 bytes in 1 blocks are possibly lost in loss record 8 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:13)\n==1== \n==1== 64 (16 direct, 48 indirect) bytes in 1 blocks are definitely lost in loss record 9 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:5)\n==1== \n==1== 1,234,567 bytes in 1 blocks are definitely lost in loss record 10 of 10\n==1==    at malloc\n==1==    by main (leaks3.c:17)\n==1== \n==1== LEAK SUMMARY:\n==1==    definitely lost: 1,234,607 bytes in 4 blocks\n==1==    indirectly lost: 64 bytes in 4 blocks\n==1==      possibly lost: 40 bytes in 1 blocks\n==1==    still reachable: 24 bytes in 1 blocks\n==1==         suppressed: 0 bytes in 0 blocks\n==1== Reachable blocks (those to which a pointer was found) are not shown.\n==1== To see them, rerun with: --leak-check=full --show-leak-kinds=all\n";
const ERRS =
  "==1== Invalid read of size 1\n==1==    at main (errs.c:5)\n==1==  Address ADDR is 0 bytes after a block of size 40 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:4)\n==1== \n==1== Invalid write of size 1\n==1==    at main (errs.c:6)\n==1==  Address ADDR is 1 bytes after a block of size 40 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:4)\n==1== \n==1== Invalid read of size 4\n==1==    at main (errs.c:7)\n==1==  Address ADDR is 4 bytes before a block of size 40 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:4)\n==1== \n==1== Invalid read of size 1\n==1==    at main (errs.c:9)\n==1==  Address ADDR is 3 bytes inside a block of size 40 free'd\n==1==    at free\n==1==    by main (errs.c:8)\n==1==  Block was alloc'd at\n==1==    at malloc\n==1==    by main (errs.c:4)\n==1== \n==1== Invalid free() / delete / delete[] / realloc()\n==1==    at free\n==1==    by main (errs.c:10)\n==1==  Address ADDR is 0 bytes inside a block of size 40 free'd\n==1==    at free\n==1==    by main (errs.c:8)\n==1==  Block was alloc'd at\n==1==    at malloc\n==1==    by main (errs.c:4)\n==1== \n==1== Invalid free() / delete / delete[] / realloc()\n==1==    at free\n==1==    by main (errs.c:12)\n==1==  Address ADDR is 2 bytes inside a block of size 10 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:11)\n==1== \n==1== Invalid write of size 1\n==1==    at main (errs.c:14)\n==1==  Address ADDR is 0 bytes after a block of size 1,000,000 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:13)\n==1== \n==1== Invalid read of size 8\n==1==    at main (errs.c:17)\n==1==  Address ADDR is 4 bytes inside a block of size 8 alloc'd\n==1==    at malloc\n==1==    by main (errs.c:16)\n==1== \n==1== Invalid free() / delete / delete[] / realloc()\n==1==    at free\n==1==    by main (errs.c:19)\n==1==  Address ADDR is not stack'd, malloc'd or (recently) free'd\n==1== \n==1== \n==1== HEAP SUMMARY:\n";
const POSSIBLE =
  "==1== HEAP SUMMARY:\n==1==     in use at exit: 64 bytes in 2 blocks\n==1==   total heap usage: 2 allocs, 0 frees, 64 bytes allocated\n==1== \n==1== 32 bytes in 1 blocks are still reachable in loss record 1 of 2\n==1==    at malloc\n==1==    by main (pos.c:4)\n==1== \n==1== 32 bytes in 1 blocks are possibly lost in loss record 2 of 2\n==1==    at malloc\n==1==    by main (pos.c:5)\n==1== \n==1== LEAK SUMMARY:\n==1==    definitely lost: 0 bytes in 0 blocks\n==1==    indirectly lost: 0 bytes in 0 blocks\n==1==      possibly lost: 32 bytes in 1 blocks\n==1==    still reachable: 32 bytes in 1 blocks\n==1==         suppressed: 0 bytes in 0 blocks\n";

/** A Libc with memcheck, plus a tiny data segment of 8-byte globals as the root set. */
function machine() {
  const m = new ArenaBacking();
  const libc = new Libc(new FirstFitHeap(m, {}), { memcheck: true });
  const DATA = 0x1000;
  const globals = new Float64Array(4);
  const read64 = (a: number) => (a >= DATA && a < DATA + 32 ? globals[(a - DATA) / 8]! : m.read64(a));
  const leaks = (show?: Parameters<typeof leakLines>[2]) =>
    prefixLines(
      1,
      leakLines(libc.usage(), libc.leakCheck([{ start: DATA, end: DATA + 32 }], read64), show).slice(1),
    );
  return { m, libc, globals, leaks };
}

const at = (line: number, file = "leaks3.c") => [`main (${file}:${line})`];

/*
 * leaks3.c:
 *  5  struct node *a = malloc(16);     6  *b = malloc(16);   7  *c = malloc(16);   8  *d = malloc(16);
 *     a->next = b; b->next = c; c->next = d; d->next = 0;  a = b = c = d = 0;
 * 11  char *x = malloc(8); x = 0;
 * 12  g_reach = malloc(24);
 * 13  char *y = malloc(40); g_interior = y + 8; y = 0;
 * 14  struct node *p = malloc(16);    15  struct node *q = malloc(16);  p->next = q; q->next = p;
 * 17  char *big = malloc(1234567); big = 0;
 */
function leaks3() {
  const t = machine();
  const { libc, m, globals } = t;
  const [a, b, c, d] = [5, 6, 7, 8].map((l) => libc.malloc(16, at(l))) as [number, number, number, number];
  m.write64(a, b);
  m.write64(b, c);
  m.write64(c, d);
  libc.malloc(8, at(11));
  globals[0] = libc.malloc(24, at(12));
  globals[1] = libc.malloc(40, at(13)) + 8;
  const p = libc.malloc(16, at(14));
  const q = libc.malloc(16, at(15));
  m.write64(p, q);
  m.write64(q, p);
  libc.malloc(1234567, at(17));
  return t;
}

describe("leak check, worded as Valgrind", () => {
  it("definite, indirect, possible, reachable and a cycle: --show-leak-kinds=all", () => {
    const t = leaks3();
    const all = ["definitely lost", "indirectly lost", "possibly lost", "still reachable"] as const;
    expect(t.leaks({ show: all })).toBe(LEAKS_ALL.replace(/==1== \n$/, "") + "==1== \n");
  });

  it("the same with the default kinds (definite and possible)", () => {
    expect(leaks3().leaks()).toBe(LEAKS_DEFAULT + "==1== \n");
  });

  it("an interior pointer from a reachable block makes a block possibly lost", () => {
    const t = machine();
    const a = t.libc.malloc(32, at(4, "pos.c"));
    const b = t.libc.malloc(32, at(5, "pos.c"));
    t.m.write64(a, b + 4);
    t.globals[2] = a;
    const all = ["definitely lost", "indirectly lost", "possibly lost", "still reachable"] as const;
    expect(t.leaks({ show: all }).split("LEAK SUMMARY")[0]).toBe(POSSIBLE.split("LEAK SUMMARY")[0]);
  });

  it("no leaks: all heap blocks were freed", () => {
    const t = machine();
    t.libc.free(t.libc.malloc(10, at(2)), at(2));
    expect(t.leaks()).toBe(
      [
        "==1== HEAP SUMMARY:",
        "==1==     in use at exit: 0 bytes in 0 blocks",
        "==1==   total heap usage: 1 allocs, 1 frees, 10 bytes allocated",
        "==1== ",
        "==1== All heap blocks were freed -- no leaks are possible",
        "==1== ",
        "",
      ].join("\n"),
    );
  });
});

/*
 * errs.c:
 *  4  char *p = malloc(40);            5  c = p[40];        6  p[41] = 1;
 *  7  i = *(int*)(p-4);                8  free(p);          9  c = p[3];         10  free(p);
 * 11  char *q = malloc(10);           12  free(q+2);
 * 13  char *r = malloc(1000000);      14  r[1000000] = 1;  15  free(r);
 * 16  int *s = malloc(8);             17  l = *(long*)(s+1);                      18  free(s);
 * 19  free((void*)0x1234);
 */
describe("memcheck errors, worded as Valgrind", () => {
  it("overflow, underflow, use after free, double free, interior free, unknown address", () => {
    const { libc } = machine();
    const e = (l: number) => at(l, "errs.c");
    const addrs: number[] = [];
    const p = libc.malloc(40, e(4));
    const check = (addr: number, n: number, k: "read" | "write", l: number) => {
      const err = libc.checkAccess(addr, n, k, e(l));
      expect(err).not.toBeNull();
      addrs.push(addr);
    };
    check(p + 40, 1, "read", 5);
    check(p + 41, 1, "write", 6);
    check(p - 4, 4, "read", 7);
    expect(libc.free(p, e(8))).toBeNull();
    check(p + 3, 1, "read", 9);
    expect(libc.free(p, e(10))?.kind).toBe("invalid-free");
    addrs.push(p);
    const q = libc.malloc(10, e(11));
    expect(libc.free(q + 2, e(12))?.kind).toBe("invalid-free");
    addrs.push(q + 2);
    const r = libc.malloc(1000000, e(13));
    check(r + 1000000, 1, "write", 14);
    libc.free(r, e(15));
    const s = libc.malloc(8, e(16));
    check(s + 4, 8, "read", 17);
    libc.free(s, e(18));
    expect(libc.free(0x1234, e(19))?.kind).toBe("invalid-free");
    const mc = libc.memcheck!;
    const text = mc.errors.map((x) => prefixLines(1, errorLines(x))).join("");
    addrs.push(0x1234);
    const expected = ERRS.replace(/==1== \n==1== HEAP SUMMARY:\n$/, "").replace(
      /Address ADDR /g,
      () => `Address 0x${addrs.shift()!.toString(16)} `,
    );
    expect(addrs).toEqual([]);
    expect(text).toBe(expected);
    expect(libc.usage()).toEqual({
      inUseBytes: 10,
      inUseBlocks: 1,
      allocs: 4,
      frees: 6,
      bytesAllocated: 1000058,
    });
  });

  it("valid accesses inside a live block are not errors; memory outside the heap is not checked", () => {
    const { libc } = machine();
    const p = libc.malloc(40);
    expect(libc.checkAccess(p, 40, "write")).toBeNull();
    expect(libc.checkAccess(p + 32, 8, "read")).toBeNull();
    expect(libc.checkAccess(0x10, 8, "read")).toBeNull();
    expect(libc.memcheck!.errors).toEqual([]);
  });

  it("a freed block stays poisoned while quarantined, and is reused only after leaving quarantine", () => {
    const m = new ArenaBacking();
    const libc = new Libc(new FirstFitHeap(m, {}), { memcheck: { freelistVol: 100 } });
    const p = libc.malloc(64);
    libc.free(p);
    const q = libc.malloc(64);
    expect(q).not.toBe(p);
    expect(libc.checkAccess(p, 1, "read")?.kind).toBe("invalid-access");
    libc.free(q);
    libc.free(libc.malloc(64));
    expect(libc.allocator.walk().blocks.filter((b) => !b.free).length).toBe(1);
  });
});
