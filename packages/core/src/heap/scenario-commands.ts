/**
 * The C heap's `.msim` commands:
 *
 * ```
 * NAME heap POLICY [memcheck=on|off]   choose the allocator (before the first malloc)
 * NAME malloc PTR SIZE                 PTR = malloc(SIZE)
 * NAME calloc PTR N SIZE               PTR = calloc(N, SIZE)
 * NAME realloc PTR SIZE                PTR = realloc(PTR, SIZE)
 * NAME free ADDR                       free(ADDR), e.g. free p, free p+8
 * NAME set ADDR VALUE                  store the 8-byte VALUE (a pointer, NULL as 0) at ADDR
 * NAME local PTR                       declare PTR in the current stack frame
 * NAME call FUNCTION / NAME ret        push / pop a stack frame
 * NAME leakcheck [all]                 Valgrind's leak check (all: every kind of loss record)
 * ```
 *
 * A pointer named in malloc/calloc/set is a global in the process's data segment unless
 * declared `local`; its name then works as an address base (`p+8`). memcheck is on by
 * default: it also watches the built-in `read` and `write` commands, whose parsers are
 * wrapped here so that every access to a heap byte is checked first (an invalid write is
 * reported and not performed, so the simulated heap stays intact). Errors and the leak
 * report are printed exactly as Valgrind words them, each line prefixed `==PID==`.
 */
import type { Token } from "../scenario/lexer.js";
import type { ProcessVerb, VerbAction, VerbContext, VerbParser, VerbRegistry } from "../scenario/registry.js";
import type { AddrExpr } from "../scenario/values.js";
import type { PointerVar, ProcessHeap } from "./process-heap.js";
import { parseHeap, parseLeakcheck, watchAccesses } from "./scenario-memcheck.js";
import { heapOf, hexOf, report } from "./scenario-state.js";

const RESERVED = new Set(["text", "data", "bss", "heap", "stack", "kernel"]);

/** Makes `name` an address base that evaluates to the pointer's current value. */
function bindSymbol(ctx: VerbContext, v: PointerVar): void {
  ctx.symbols.define(v.name, (m, pid) => {
    const r = m.readWord(pid, v.addr, 8);
    return r.kind === "ok" ? r.value : null;
  });
}

/** The pointer variable `name`, declared as a global when new. */
function variable(ctx: VerbContext, h: ProcessHeap, name: string, col: number): PointerVar {
  const v = h.variable(name) ?? h.declareGlobal(name);
  if (v === null)
    return ctx.fail(col, `${ctx.process} has no room left in its data and bss segments for ${name}`);
  if (!ctx.symbols.has(name)) bindSymbol(ctx, v);
  return v;
}

function pointerName(p: VerbParser, t: Token | undefined): string {
  const name = p.name(t, "a pointer name");
  if (RESERVED.has(name))
    p.fail(t as Token, `${name} is a segment name; choose another name for the pointer`);
  return name;
}

function assign(
  ctx: VerbContext,
  h: ProcessHeap,
  name: string,
  col: number,
  value: number,
  call: string,
): void {
  const v = variable(ctx, h, name, col);
  h.write(v, value);
  ctx.print(`${ctx.process}: ${name} = ${call} = ${value === 0 ? "NULL" : hexOf(value)}`);
}

function parseMalloc(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 2, 2);
  const name = pointerName(p, args[0]);
  const size = p.size(args[1], "a size in bytes");
  const line = p.line;
  const col = (args[0] as Token).col;
  return (ctx) => {
    const h = heapOf(ctx);
    assign(ctx, h, name, col, h.libc.malloc(size, h.where(line)), `malloc(${size})`);
  };
}

function parseCalloc(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 3, 3);
  const name = pointerName(p, args[0]);
  const n = p.size(args[1], "a number of elements");
  const size = p.size(args[2], "an element size");
  const line = p.line;
  const col = (args[0] as Token).col;
  return (ctx) => {
    const h = heapOf(ctx);
    assign(ctx, h, name, col, h.libc.calloc(n, size, h.where(line)), `calloc(${n}, ${size})`);
  };
}

function parseRealloc(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 2, 2);
  const name = pointerName(p, args[0]);
  const size = p.size(args[1], "a size in bytes");
  const line = p.line;
  const col = (args[0] as Token).col;
  return (ctx) => {
    const h = heapOf(ctx);
    const v = variable(ctx, h, name, col);
    const old = h.read(v);
    const errors = h.libc.memcheck?.errors.length ?? 0;
    const q = h.libc.realloc(old, size, h.where(line));
    const mc = h.libc.memcheck;
    if (mc && mc.errors.length > errors) report(ctx, h, mc.errors[mc.errors.length - 1]!);
    if (q === 0 && size !== 0 && old !== 0) {
      ctx.print(`${ctx.process}: realloc(${hexOf(old)}, ${size}) failed; ${name} unchanged`);
      return;
    }
    assign(ctx, h, name, col, q, `realloc(${old === 0 ? "NULL" : hexOf(old)}, ${size})`);
  };
}

function parseFree(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const a = p.addr(args[0], "a pointer such as p or p+8");
  const line = p.line;
  return (ctx) => {
    const h = heapOf(ctx);
    const addr = ctx.resolve(a);
    report(ctx, h, h.libc.free(addr, h.where(line)));
  };
}

function parseSet(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 2, 2);
  const at = p.addr(args[0], "an address such as p+8");
  const value = p.addr(args[1], "a pointer, an address or 0");
  const line = p.line;
  const col = (args[0] as Token).col;
  return (ctx) => {
    const h = heapOf(ctx);
    const v =
      at.base !== null && at.text === at.base && !RESERVED.has(at.base) && !isRegion(ctx, at.base)
        ? at.base
        : null;
    const x = resolveValue(ctx, value);
    if (v !== null) {
      // `set p q`: the variable p itself takes q's value.
      h.write(variable(ctx, h, v, col), x);
      return;
    }
    const addr = ctx.resolve(at);
    const e = h.libc.checkAccess(addr, 8, "write", h.where(line));
    if (e) report(ctx, h, e);
    else ctx.machine.writeWord(ctx.pid, addr, 8, x);
  };
}

function isRegion(ctx: VerbContext, name: string): boolean {
  return ctx.symbols.has(name) && heapOf(ctx).variable(name) === undefined;
}

function resolveValue(ctx: VerbContext, a: AddrExpr): number {
  return a.base === null ? a.offset : ctx.resolve(a);
}

function parseLocal(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const name = pointerName(p, args[0]);
  return (ctx) => bindSymbol(ctx, heapOf(ctx).declareLocal(name));
}

function parseCall(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const fn = p.name(args[0], "a function name");
  const line = p.line;
  return (ctx) => heapOf(ctx).call(fn, line);
}

function parseRet(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 0, 0);
  const col = p.verbToken.col;
  return (ctx) => {
    const h = heapOf(ctx);
    const gone = h.ret();
    if (gone === null) return ctx.fail(col, `${ctx.process} is in main: there is no frame to return from`);
    for (const name of gone) {
      ctx.symbols.undefine(name);
      const g = h.variable(name);
      if (g) bindSymbol(ctx, g);
    }
  };
}

/** Adds the heap commands to `r` and puts memcheck in front of its `read` and `write`. */
export function registerHeapVerbs(r: VerbRegistry): void {
  const verbs: ProcessVerb[] = [
    {
      verb: "heap",
      usage: "NAME heap POLICY [memcheck=on|off]",
      summary: "choose the process's malloc",
      parse: parseHeap,
    },
    { verb: "malloc", usage: "NAME malloc PTR SIZE", summary: "PTR = malloc(SIZE)", parse: parseMalloc },
    { verb: "calloc", usage: "NAME calloc PTR N SIZE", summary: "PTR = calloc(N, SIZE)", parse: parseCalloc },
    {
      verb: "realloc",
      usage: "NAME realloc PTR SIZE",
      summary: "PTR = realloc(PTR, SIZE)",
      parse: parseRealloc,
    },
    { verb: "free", usage: "NAME free ADDR", summary: "free(ADDR)", parse: parseFree },
    { verb: "set", usage: "NAME set ADDR VALUE", summary: "store an 8-byte pointer value", parse: parseSet },
    {
      verb: "local",
      usage: "NAME local PTR",
      summary: "declare a pointer in the current frame",
      parse: parseLocal,
    },
    { verb: "call", usage: "NAME call FUNCTION", summary: "push a stack frame", parse: parseCall },
    { verb: "ret", usage: "NAME ret", summary: "pop the current stack frame", parse: parseRet },
    {
      verb: "leakcheck",
      usage: "NAME leakcheck [all]",
      summary: "Valgrind's leak check",
      parse: parseLeakcheck,
    },
  ];
  for (const v of verbs) r.register(v);
  const read = r.get("read");
  const write = r.get("write");
  if (read) watchAccesses(read, "read");
  if (write) watchAccesses(write, "write");
}
