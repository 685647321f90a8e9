/**
 * The built-in process commands of `.msim`, registered in the default verb registry the
 * same way other layers add theirs:
 *
 * ```
 * NAME brk +SIZE | -SIZE | ADDR        move the program break (relative or absolute)
 * NAME sbrk SIZE                       sbrk(3): relative, may be negative
 * NAME read ADDR LEN                   load LEN bytes
 * NAME write ADDR LEN [value=BYTE]     store LEN bytes (default 0xab each)
 * NAME dump ADDR LEN                   read and print the bytes in hex
 * NAME exec ADDR [LEN]                 instruction fetch (needs execute permission)
 * NAME mmap REGION SIZE PROT [private|shared] [at=ADDR]
 * NAME munmap REGION | ADDR LEN
 * NAME mprotect REGION PROT | ADDR LEN PROT
 * NAME fork CHILD
 * NAME shm attach SEGMENT [at=ADDR] PROT
 * NAME shm detach SEGMENT
 * NAME exit [CODE]
 * ```
 */
import { asPid, hex } from "../base/index.js";
import { registerHeapVerbs } from "../heap/scenario-commands.js";
import type { Machine } from "../kernel/machine.js";
import type { Token } from "./lexer.js";
import {
  type SymbolResolver,
  type VerbAction,
  type VerbContext,
  type VerbParser,
  VerbRegistry,
} from "./registry.js";
import { type AddrExpr, parseSize } from "./values.js";

/** The byte `write` stores when no `value=` is given (easy to spot in a memory dump). */
export const DEFAULT_WRITE_BYTE = 0xab;

/** Reports a failed system call as a note; the scenario goes on (it is a simulated failure). */
function sys(ctx: VerbContext, what: string, r: { ok: true } | { ok: false; error: string }): boolean {
  if (!r.ok) ctx.print(`${ctx.process}: ${what} failed: ${r.error}`);
  return r.ok;
}

/** Reports an access that killed the process. */
function access(ctx: VerbContext, r: { kind: string; reason?: unknown }): void {
  if (r.kind === "ok") return;
  const p = ctx.machine.process(ctx.pid);
  ctx.print(`${ctx.process}: ${p?.reason ?? String(r.reason ?? r.kind)}`);
}

/** A resolver giving the start of the lowest VMA labelled `label` (an mmap/shm region or a library). */
export function regionSymbol(label: string): SymbolResolver {
  return (m: Machine, pid) => {
    const v = m
      .process(pid)
      ?.vmas.all()
      .find((x) => x.label === label);
    return v === undefined ? null : v.start;
  };
}

/** Defines `label` as an address base resolving to the start of the VMA of that label. */
function defineRegion(ctx: VerbContext, label: string): void {
  ctx.symbols.define(label, regionSymbol(label));
}

function regionBounds(ctx: VerbContext, label: string, col: number): { start: number; len: number } {
  const v =
    ctx.machine
      .process(ctx.pid)
      ?.vmas.all()
      .filter((x) => x.label === label) ?? [];
  if (v.length === 0) ctx.fail(col, `${ctx.process} has no region named ${label}`);
  const start = Math.min(...v.map((x) => x.start));
  const end = Math.max(...v.map((x) => x.end));
  return { start, len: end - start };
}

const isRegionToken = (t: Token | undefined): boolean =>
  t !== undefined && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(t.text);

function parseBrk(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const t = args[0] as Token;
  if (t.text.startsWith("+") || t.text.startsWith("-")) {
    const delta = p.signedSize(t, "a break change such as +64k");
    return (ctx) => void sys(ctx, "brk", ctx.machine.sbrk(ctx.pid, delta));
  }
  const a = p.addr(t, "a new break such as heap+64k or +64k");
  return (ctx) => void sys(ctx, "brk", ctx.machine.brk(ctx.pid, ctx.resolve(a)));
}

function parseSbrk(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const delta = p.signedSize(args[0], "a size");
  return (ctx) => void sys(ctx, "sbrk", ctx.machine.sbrk(ctx.pid, delta));
}

/** `ADDR LEN` at the head of `args`, which holds 2 to `most` tokens. */
function addrLen(args: readonly Token[], p: VerbParser, most: number): { a: AddrExpr; len: number } {
  p.arity(args, 2, most);
  return { a: p.addr(args[0], "an address"), len: p.size(args[1], "a length") };
}

/** Resolves `a` and tells the process's extensions about the `kind` access of `len` bytes there. */
function accessAt(ctx: VerbContext, kind: "read" | "write" | "exec", a: AddrExpr, len: number): number {
  const va = ctx.resolve(a);
  ctx.observeAccess(kind, va, len);
  return va;
}

function parseRead(args: readonly Token[], p: VerbParser): VerbAction {
  const { a, len } = addrLen(args, p, 2);
  return (ctx) => access(ctx, ctx.machine.read(ctx.pid, accessAt(ctx, "read", a, len), len));
}

function parseWrite(args: readonly Token[], p: VerbParser): VerbAction {
  const { a, len } = addrLen(args, p, 3);
  let byte = DEFAULT_WRITE_BYTE;
  const opt = args[2];
  if (opt !== undefined) {
    const o = p.option(opt);
    const v = o?.key === "value" ? parseSize(o.value) : null;
    if (v === null || v > 255) p.fail(opt, `expected value=BYTE (0 to 255), found "${opt.text}"`);
    byte = v as number;
  }
  return (ctx) => access(ctx, ctx.machine.fill(ctx.pid, accessAt(ctx, "write", a, len), len, byte));
}

function parseDump(args: readonly Token[], p: VerbParser): VerbAction {
  const { a, len } = addrLen(args, p, 2);
  return (ctx) => {
    const va = accessAt(ctx, "read", a, len);
    const r = ctx.machine.read(ctx.pid, va, len);
    if (r.kind !== "ok") return access(ctx, r);
    ctx.print(hexDump(va, r.value));
  };
}

/** `0x…: 2a 2a …` lines of 16 bytes. */
export function hexDump(va: number, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
    lines.push(`${hex(va + i)}: ${row}`);
  }
  return lines.join("\n");
}

function parseExec(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 2);
  const a = p.addr(args[0], "an address");
  const len = args[1] === undefined ? 1 : p.size(args[1], "a length");
  return (ctx) => access(ctx, ctx.machine.exec(ctx.pid, accessAt(ctx, "exec", a, len), len));
}

function parseMmap(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 3, 5);
  const label = p.name(args[0], "a region name");
  const length = p.size(args[1], "a size");
  const prot = p.prot(args[2]);
  let shared = false;
  let at: ReturnType<VerbParser["addr"]> | null = null;
  for (const t of args.slice(3)) {
    const o = p.option(t);
    if (t.text === "private" || t.text === "shared") shared = t.text === "shared";
    else if (o?.key === "at") at = p.addr({ text: o.value, col: o.valueCol }, "an address");
    else p.fail(t, `expected private, shared or at=ADDR, found "${t.text}"`);
  }
  return (ctx) => {
    if (ctx.symbols.has(label))
      ctx.fail(args[0]?.col ?? 0, `${ctx.process} already has an address named ${label}`);
    const r = ctx.machine.mmap(ctx.pid, {
      length,
      prot,
      shared,
      at: at === null ? null : ctx.resolve(at),
      label,
    });
    if (sys(ctx, `mmap ${label}`, r)) defineRegion(ctx, label);
  };
}

function parseMunmap(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 2);
  if (args.length === 1 && isRegionToken(args[0])) {
    const label = (args[0] as Token).text;
    return (ctx) => {
      const b = regionBounds(ctx, label, (args[0] as Token).col);
      if (sys(ctx, `munmap ${label}`, ctx.machine.munmap(ctx.pid, b.start, b.len)))
        ctx.symbols.undefine(label);
    };
  }
  p.arity(args, 2, 2);
  const a = p.addr(args[0], "an address");
  const len = p.size(args[1], "a length");
  return (ctx) => void sys(ctx, "munmap", ctx.machine.munmap(ctx.pid, ctx.resolve(a), len));
}

function parseMprotect(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 2, 3);
  if (args.length === 2) {
    const label = p.name(args[0], "a region name");
    const prot = p.prot(args[1]);
    return (ctx) => {
      const b = regionBounds(ctx, label, (args[0] as Token).col);
      sys(ctx, `mprotect ${label}`, ctx.machine.mprotect(ctx.pid, b.start, b.len, prot));
    };
  }
  const a = p.addr(args[0], "an address");
  const len = p.size(args[1], "a length");
  const prot = p.prot(args[2]);
  return (ctx) => void sys(ctx, "mprotect", ctx.machine.mprotect(ctx.pid, ctx.resolve(a), len, prot));
}

function parseFork(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 1);
  const child = p.name(args[0], "a name for the child process");
  p.declareProcess(args[0] as Token);
  return (ctx) => {
    const r = ctx.machine.fork(ctx.pid, child);
    if (sys(ctx, "fork", r) && r.ok) ctx.adoptChild(child, asPid(r.value));
  };
}

function parseShm(args: readonly Token[], p: VerbParser): VerbAction {
  const sub = args[0];
  if (sub?.text === "detach") {
    p.arity(args, 2, 2);
    const name = p.name(args[1], "a segment name");
    return (ctx) => {
      if (sys(ctx, `shm detach ${name}`, ctx.machine.shmDetach(ctx.pid, name))) ctx.symbols.undefine(name);
    };
  }
  if (sub?.text !== "attach")
    return p.fail(sub ?? p.verbToken, `expected "shm attach SEGMENT [at=ADDR] PROT" or "shm detach SEGMENT"`);
  p.arity(args, 3, 4);
  const name = p.name(args[1], "a segment name");
  let at: ReturnType<VerbParser["addr"]> | null = null;
  let prot: number | null = null;
  for (const t of args.slice(2)) {
    const o = p.option(t);
    if (o?.key === "at") at = p.addr({ text: o.value, col: o.valueCol }, "an address");
    else prot = p.prot(t);
  }
  if (prot === null)
    return p.fail(args[args.length - 1] as Token, "expected permissions (r or rw) for the attachment");
  const rights = prot;
  return (ctx) => {
    const r = ctx.machine.shmAttach(ctx.pid, name, at === null ? null : ctx.resolve(at), rights);
    if (sys(ctx, `shm attach ${name}`, r)) defineRegion(ctx, name);
  };
}

function parseExit(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 0, 1);
  const code = args[0] === undefined ? 0 : p.size(args[0], "an exit code");
  return (ctx) => void sys(ctx, "exit", ctx.machine.exit(ctx.pid, code));
}

/** Adds the built-in verbs to `r`. */
export function registerBuiltinVerbs(r: VerbRegistry): void {
  r.register({
    verb: "brk",
    usage: "NAME brk +SIZE|-SIZE|ADDR",
    summary: "move the program break",
    parse: parseBrk,
  });
  r.register({
    verb: "sbrk",
    usage: "NAME sbrk SIZE",
    summary: "move the break by a signed amount",
    parse: parseSbrk,
  });
  r.register({ verb: "read", usage: "NAME read ADDR LEN", summary: "load LEN bytes", parse: parseRead });
  r.register({
    verb: "write",
    usage: "NAME write ADDR LEN [value=BYTE]",
    summary: "store LEN bytes",
    parse: parseWrite,
  });
  r.register({
    verb: "dump",
    usage: "NAME dump ADDR LEN",
    summary: "read LEN bytes and print them in hex",
    parse: parseDump,
  });
  r.register({
    verb: "exec",
    usage: "NAME exec ADDR [LEN]",
    summary: "fetch instructions",
    parse: parseExec,
  });
  r.register({
    verb: "mmap",
    usage: "NAME mmap REGION SIZE PROT [private|shared] [at=ADDR]",
    summary: "map anonymous memory",
    parse: parseMmap,
  });
  r.register({
    verb: "munmap",
    usage: "NAME munmap REGION | ADDR LEN",
    summary: "unmap memory",
    parse: parseMunmap,
  });
  r.register({
    verb: "mprotect",
    usage: "NAME mprotect REGION PROT | ADDR LEN PROT",
    summary: "change permissions",
    parse: parseMprotect,
  });
  r.register({
    verb: "fork",
    usage: "NAME fork CHILD",
    summary: "fork with copy-on-write",
    parse: parseFork,
  });
  r.register({
    verb: "shm",
    usage: "NAME shm attach SEG [at=ADDR] PROT | NAME shm detach SEG",
    summary: "attach or detach shared memory",
    parse: parseShm,
  });
  r.register({
    verb: "exit",
    usage: "NAME exit [CODE]",
    summary: "exit, returning every frame and swap slot",
    parse: parseExit,
  });
}

/**
 * The registry `.msim` uses by default: the built-in verbs and the C heap's commands
 * (registered here, not as an import side effect, so bundlers keep them), plus whatever
 * other layers register with `PROCESS_VERBS.register(...)`.
 */
export const PROCESS_VERBS: VerbRegistry = createStandardVerbs();

/** A fresh registry with the built-in verbs and every layer's commands (the C heap's). */
export function createStandardVerbs(): VerbRegistry {
  const r = createDefaultVerbs();
  registerHeapVerbs(r);
  return r;
}

/** A fresh registry holding only the built-in verbs. */
export function createDefaultVerbs(): VerbRegistry {
  const r = new VerbRegistry();
  registerBuiltinVerbs(r);
  return r;
}
