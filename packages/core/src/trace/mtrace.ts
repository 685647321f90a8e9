/**
 * Parser for glibc `mtrace()` logs (malloc/mtrace.c; mtrace(3)). Sizes are hex:
 *
 *   = Start
 *   @ CALLER + 0x30fb04a0 0x30      malloc/calloc/memalign/new: address, size
 *   @ CALLER - 0x5622451a22a0       free
 *   @ CALLER < 0x5622451a2520       realloc: the old block …
 *   @ CALLER > 0x5622451a4170 0x800 … and the new block with its size
 *   @ CALLER ! 0x… 0x…              a realloc that failed
 *   = End
 *
 * glibc does not log free(NULL); a failed malloc shows as `+ (nil) 0x…`. One process: pid 0.
 */
import type { InputError } from "../base/errors.js";
import { type MallocTrace, MallocTraceBuilder, MOP_MALLOC } from "./malloc-trace.js";

export class MtraceParser {
  private readonly b = new MallocTraceBuilder(0);
  private reallocFrom = -1;

  /** Feeds one line (without its newline). Returns what is wrong with it, or null. */
  line(text: string, lineNo: number): InputError | null {
    if (text.length === 0 || text.startsWith("= ")) return null;
    const t = text.trimEnd().split(/\s+/);
    if (t[0] !== "@") return bad(lineNo, 1, `an mtrace line "@ CALLER OP ADDRESS [SIZE]"`, text);
    const n = t.length;
    if (n >= 4 && (t[n - 2] === "-" || t[n - 2] === "<")) {
      const a = addr(t[n - 1]!);
      if (Number.isNaN(a)) return bad(lineNo, 0, "an address", t[n - 1]!);
      if (t[n - 2] === "-") {
        this.b.call("free");
        this.b.free(a);
      } else this.reallocFrom = a;
      return null;
    }
    if (n >= 5 && (t[n - 3] === "+" || t[n - 3] === ">" || t[n - 3] === "!")) {
      const a = addr(t[n - 2]!);
      const size = addr(t[n - 1]!);
      if (Number.isNaN(a) || Number.isNaN(size)) return bad(lineNo, 0, "an address and a hex size", text);
      this.op(t[n - 3]!, a, size);
      return null;
    }
    return bad(lineNo, 1, `an mtrace line "@ CALLER OP ADDRESS [SIZE]"`, text);
  }

  private op(op: string, a: number, size: number): void {
    if (op === "+") {
      this.b.call("malloc");
      this.b.alloc(MOP_MALLOC, size, a);
    } else {
      this.b.call("realloc");
      this.b.realloc(op === "!" ? 0 : Math.max(this.reallocFrom, 0), size, op === "!" ? 0 : a);
      this.reallocFrom = -1;
    }
  }

  finish(): MallocTrace[] {
    return [this.b.build()];
  }
}

function addr(s: string): number {
  if (s === "(nil)") return 0;
  return /^0x[0-9a-fA-F]+$/.test(s) ? Number.parseInt(s.slice(2), 16) : Number.NaN;
}

function bad(line: number, col: number, expected: string, found: string): InputError {
  const f = found.length > 60 ? found.slice(0, 57) + "..." : found;
  return { line, col, message: `expected ${expected}, found "${f}"` };
}
