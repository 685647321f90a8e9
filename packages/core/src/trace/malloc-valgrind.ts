/**
 * Parser for Valgrind `--trace-malloc=yes` logs (vg_replace_malloc.c's MALLOC_TRACE lines).
 * Event lines are `--PID-- body`; `==PID==` lines are memcheck's banner and summary. Bodies:
 *
 *   malloc(32) = 0x4B6C040            calloc(13,16) = 0x…          realloc(0x…,200) = 0x…
 *   realloc(0x0,1600)malloc(1600) = 0x…   (realloc(NULL, n): two texts on one line)
 *   realloc(0x…,0)free(0x…)  then a line ` = 0`   (realloc(p, 0) frees p)
 *   memalign(al 64, size 100) = 0x…   _ZnwmSt11align_val_t(size 128, al 64) = 0x…
 *   _Znwm(48) = 0x…   _Znam(16) = 0x…   free(0x…)   _ZdlPv(0x…)   _ZdlPvm(0x…)   _ZdaPv(0x…)
 *   malloc_usable_size(0x…) = 21      malloc(N) = 0x0 (failed)
 *   malloc(N)Argument 'size' of function malloc has a fishy … value  then a line ` = 0x0`
 *
 * Several processes may share one log; each pid gets its own `MallocTrace`.
 */
import type { InputError } from "../base/errors.js";
import { type MallocTrace, MallocTraceBuilder, MOP_CALLOC, MOP_MALLOC } from "./malloc-trace.js";

const LINE = /^--(\d+)-- (.*)$/;
const CALL = /^([A-Za-z_]\w*)\(([^)]*)\)(.*)$/;
const RESULT = /^\s*= (0x[0-9A-Fa-f]+|\d+)\s*$/;

type Pending =
  | { readonly kind: "alloc"; readonly fn: string; readonly args: string; readonly col: number }
  | { readonly kind: "realloc-free"; readonly old: number };

export class ValgrindMallocParser {
  private readonly builders = new Map<number, MallocTraceBuilder>();
  private readonly pending = new Map<number, Pending>();

  /** Feeds one line (without its newline). Returns what is wrong with it, or null. */
  line(text: string, lineNo: number): InputError | null {
    if (text.length === 0 || text.startsWith("==") || text.trim().length === 0) return null;
    const m = LINE.exec(text);
    if (!m) return bad(lineNo, 1, "a Valgrind line starting with --PID-- or ==PID==", text);
    const pid = Number(m[1]);
    const body = m[2]!;
    const b = this.builder(pid);
    const wait = this.pending.get(pid);
    const r = RESULT.exec(body);
    if (wait && r) {
      this.pending.delete(pid);
      if (wait.kind === "realloc-free") b.realloc(wait.old, 0, 0);
      else return this.allocation(b, pid, wait.fn, wait.args, parseNum(r[1]!), lineNo, wait.col);
      return null;
    }
    return this.event(b, pid, body, lineNo, m[1]!.length + 6);
  }

  /** One trace per process, in the order the log first mentions them. */
  finish(): MallocTrace[] {
    return [...this.builders.values()].map((b) => b.build());
  }

  private builder(pid: number): MallocTraceBuilder {
    let b = this.builders.get(pid);
    if (!b) {
      b = new MallocTraceBuilder(pid);
      this.builders.set(pid, b);
    }
    return b;
  }

  private event(
    b: MallocTraceBuilder,
    pid: number,
    body: string,
    lineNo: number,
    col: number,
  ): InputError | null {
    const c = CALL.exec(body);
    if (!c) return bad(lineNo, col, "a traced call such as malloc(32) = 0x4B6C040", body);
    const fn = c[1]!;
    const args = c[2]!;
    const rest = c[3]!;
    b.call(fn);
    if (fn === "free" || fn === "cfree" || fn.startsWith("_ZdlPv") || fn.startsWith("_ZdaPv")) {
      const a = parseNum(args);
      if (Number.isNaN(a)) return bad(lineNo, col, `an address in ${fn}(…)`, args);
      b.free(a);
      return null;
    }
    if (fn === "realloc") return this.realloc(b, pid, args, rest, lineNo, col);
    const r = RESULT.exec(rest) ?? / = (0x[0-9A-Fa-f]+|\d+)\s*$/.exec(rest);
    if (!r) {
      this.pending.set(pid, { kind: "alloc", fn, args, col });
      return null;
    }
    return this.allocation(b, pid, fn, args, parseNum(r[1]!), lineNo, col);
  }

  private realloc(
    b: MallocTraceBuilder,
    pid: number,
    args: string,
    rest: string,
    lineNo: number,
    col: number,
  ): InputError | null {
    const [p, n] = args.split(",").map((s) => parseNum(s.trim()));
    if (p === undefined || n === undefined || Number.isNaN(p) || Number.isNaN(n))
      return bad(lineNo, col, "realloc(ADDRESS,SIZE)", `realloc(${args})`);
    const r = / = (0x[0-9A-Fa-f]+|\d+)\s*$/.exec(rest);
    if (r) b.realloc(p, n, parseNum(r[1]!));
    else if (n === 0 && p !== 0) this.pending.set(pid, { kind: "realloc-free", old: p });
    else this.pending.set(pid, { kind: "alloc", fn: "realloc", args, col });
    return null;
  }

  private allocation(
    b: MallocTraceBuilder,
    _pid: number,
    fn: string,
    args: string,
    addr: number,
    lineNo: number,
    col: number,
  ): InputError | null {
    if (Number.isNaN(addr)) return bad(lineNo, col, "a result address", String(addr));
    if (fn === "realloc") {
      const [p, n] = args.split(",").map((s) => parseNum(s.trim()));
      b.realloc(p ?? 0, n ?? 0, addr);
      return null;
    }
    if (fn === "malloc_usable_size") {
      b.usable(parseNum(args));
      return null;
    }
    if (fn === "calloc") {
      const [k, s] = args.split(",").map((x) => parseNum(x.trim()));
      if (k === undefined || s === undefined || Number.isNaN(k) || Number.isNaN(s))
        return bad(lineNo, col, "calloc(NMEMB,SIZE)", `calloc(${args})`);
      b.alloc(MOP_CALLOC, k * s, addr);
      return null;
    }
    const al = /\bal (\d+)/.exec(args);
    const sz = /\bsize (\d+)/.exec(args);
    if (al && sz) {
      b.memalign(Number(al[1]), Number(sz[1]), addr);
      return null;
    }
    const n = parseNum(args);
    if (Number.isNaN(n)) return bad(lineNo, col, `a size in ${fn}(…)`, args);
    b.alloc(MOP_MALLOC, n, addr);
    return null;
  }
}

function parseNum(s: string): number {
  if (/^0x[0-9A-Fa-f]+$/.test(s)) return Number.parseInt(s.slice(2), 16);
  if (/^\d+$/.test(s)) return Number(s);
  return Number.NaN;
}

function bad(line: number, col: number, expected: string, found: string): InputError {
  const f = found.length > 60 ? found.slice(0, 57) + "..." : found;
  return { line, col, message: `expected ${expected}, found "${f}"` };
}
