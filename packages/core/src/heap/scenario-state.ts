/**
 * Where the `.msim` heap commands keep each process's heap, and how they print memcheck's
 * findings.
 */
import type { Machine } from "../kernel/machine.js";
import type { VerbContext } from "../scenario/registry.js";
import type { HeapError } from "./memcheck.js";
import { errorLines, prefixLines } from "./memcheck-format.js";
import { ProcessHeap, type ProcessHeapOptions } from "./process-heap.js";

const KEY = "heap";

/** Every process heap by machine and pid, to find one without creating it. */
const HEAPS = new WeakMap<Machine, Map<number, ProcessHeap>>();

/** The process's heap state, created on first use with `opts`. */
export function heapOf(ctx: VerbContext, opts: ProcessHeapOptions = {}): ProcessHeap {
  return ctx.extension(KEY, () => {
    const h = new ProcessHeap(ctx.machine, ctx.pid, opts);
    let byPid = HEAPS.get(ctx.machine);
    if (!byPid) {
      byPid = new Map();
      HEAPS.set(ctx.machine, byPid);
    }
    byPid.set(ctx.pid, h);
    return h;
  });
}

/** The process's heap if it has one (no creation). */
export function existingHeap(ctx: VerbContext): ProcessHeap | undefined {
  return HEAPS.get(ctx.machine)?.get(ctx.pid);
}

export function hexOf(n: number): string {
  return "0x" + n.toString(16);
}

/** Prints a memcheck error the first time its context is seen, as Valgrind does. */
export function report(ctx: VerbContext, h: ProcessHeap, e: HeapError | null): void {
  if (e === null) return;
  if (e.kind === "glibc-abort") {
    ctx.print(e.message);
    ctx.machine.kill(ctx.pid, "SIGABRT", e.message);
    return;
  }
  const mc = h.libc.memcheck;
  const errs = mc?.errors ?? [];
  const first = errs.filter((x) => sameContext(x, e)).length === 1;
  if (first) ctx.print(prefixLines(ctx.pid, errorLines(e)).replace(/\n$/, ""));
}

function sameContext(a: HeapError, b: HeapError): boolean {
  if (a.kind !== b.kind) return false;
  if (
    a.kind === "invalid-access" &&
    b.kind === "invalid-access" &&
    (a.access !== b.access || a.size !== b.size)
  )
    return false;
  const wa = a.kind === "glibc-abort" ? [] : a.where;
  const wb = b.kind === "glibc-abort" ? [] : b.where;
  return wa.join("|") === wb.join("|");
}
