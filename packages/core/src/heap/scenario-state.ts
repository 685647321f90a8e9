/**
 * Where the `.msim` heap commands keep each process's heap, and how they print memcheck's
 * findings.
 */
import type { VerbContext } from "../scenario/registry.js";
import type { HeapError } from "./memcheck.js";
import { errorLines, prefixLines } from "./memcheck-format.js";
import { ProcessHeap } from "./process-heap.js";

const KEY = "heap";

/** The process's heap state, created on first use (memcheck on, first fit). */
export function heapOf(ctx: VerbContext): ProcessHeap {
  return ctx.extension(KEY, () => new ProcessHeap(ctx.machine, ctx.pid));
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
