/**
 * The process-verb registry: how `.msim` learns new commands.
 *
 * A process command is `NAME VERB ARGS…` (`A write heap+0 64k`, `A malloc p 40`). Each verb
 * is one `ProcessVerb`: a parser that checks its arguments at load time (so mistakes are
 * reported as `FILE:LINE:COL` before anything runs) and returns the action to run. Other
 * modules add verbs with one line, on the default registry `PROCESS_VERBS` (verbs.ts,
 * which also holds the built-in verbs):
 *
 * ```ts
 * PROCESS_VERBS.register({ verb: "malloc", usage: "NAME malloc PTR SIZE", summary: "…", parse });
 * ```
 *
 * Actions get a `VerbContext`: the machine, the acting process, address resolution, the
 * process's symbol table (named addresses such as `buf` or a heap pointer `p`), per-process
 * extension state, and an output channel.
 */
import type { Pid } from "../base/index.js";
import { SimError } from "../base/index.js";
import type { Machine } from "../kernel/machine.js";
import type { Token } from "./lexer.js";
import type { AddrExpr } from "./values.js";

/** What a verb's parser returns: the work to do when the line runs. */
export type VerbAction = (ctx: VerbContext) => void;

/** A process command's definition. */
export interface ProcessVerb {
  /** The word after the process name (`write`, `malloc`). */
  readonly verb: string;
  /** Synopsis for messages and docs, e.g. `NAME read ADDR LEN`. */
  readonly usage: string;
  /** One sentence for help and docs. */
  readonly summary: string;
  /** Checks `args` (the tokens after the verb) and returns the action; reports mistakes with `p.fail`. */
  parse(args: readonly Token[], p: VerbParser): VerbAction;
}

/** Load-time helpers for verb parsers. Every method reports a mistake by throwing through `fail`. */
export interface VerbParser {
  /** The 1-based line being parsed. */
  readonly line: number;
  /** The acting process's name. */
  readonly process: string;
  /** The verb token (for errors about missing arguments). */
  readonly verbToken: Token;
  /** Stops parsing this line with `message` at `at` (a token or a column). */
  fail(at: Token | number, message: string): never;
  /** Requires between `min` and `max` arguments. */
  arity(args: readonly Token[], min: number, max: number): void;
  /** A size such as `4096`, `0x1000`, `64k`. */
  size(t: Token | undefined, what: string): number;
  /** `+64k`, `-4k` or `64k`. */
  signedSize(t: Token | undefined, what: string): number;
  /** An address such as `heap+0`, `stack-8`, `buf+0x100`, `0x7000000000`. */
  addr(t: Token | undefined, what: string): AddrExpr;
  /** A name (letters, digits, `_`, `.`; not starting with a digit). */
  name(t: Token | undefined, what: string): string;
  /** Permissions `r`, `rw`, `rx`, `rwx` or `none` as PROT_* bits. */
  prot(t: Token | undefined): number;
  /** Splits `key=value`; null when the token has no `=`. */
  option(t: Token): { key: string; value: string; valueCol: number } | null;
  /** Declares a process created by this line (fork), so later lines may use its name. */
  declareProcess(t: Token): void;
}

/** A named address of one process: its value is computed when used (it may live in memory). */
export type SymbolResolver = (machine: Machine, pid: Pid) => number | null;

/**
 * Named addresses of one process. `text`, `data`, `bss`, `heap`, `stack` and `kernel` are
 * built in; mmap and shm attach add their region names; other layers add their own (a
 * heap pointer `p` resolves to the pointer's current value). fork copies the table.
 */
export class SymbolTable {
  private readonly entries = new Map<string, SymbolResolver>();

  define(name: string, resolve: SymbolResolver): void {
    this.entries.set(name, resolve);
  }
  undefine(name: string): void {
    this.entries.delete(name);
  }
  has(name: string): boolean {
    return this.entries.has(name);
  }
  get(name: string): SymbolResolver | undefined {
    return this.entries.get(name);
  }
  names(): string[] {
    return [...this.entries.keys()];
  }
  /** A copy with the same resolvers (they are evaluated against the child's pid). */
  clone(): SymbolTable {
    const c = new SymbolTable();
    for (const [k, v] of this.entries) c.entries.set(k, v);
    return c;
  }
}

/**
 * Per-process state a layer keeps beside the kernel (a heap allocator, memcheck shadow).
 * `fork` returns the child's copy (or null to give the child none); `snapshot`/`restore`
 * let whole-scenario checkpoints include it.
 */
export interface ProcessExtension {
  fork?(childPid: Pid): ProcessExtension | null;
  /**
   * Called by the built-in `read`, `write`, `dump` and `exec` commands before they touch
   * [va, va+len) (a memory checker reports invalid accesses here; the access still runs).
   */
  onAccess?(access: "read" | "write" | "exec", va: number, len: number, ctx: VerbContext): void;
  snapshot?(): unknown;
  restore?(state: unknown): void;
}

/** What an action may use while it runs. */
export interface VerbContext {
  readonly machine: Machine;
  readonly pid: Pid;
  /** The acting process's scenario name. */
  readonly process: string;
  readonly symbols: SymbolTable;
  /** Resolves an address expression against this process's symbols; fails on an unknown base. */
  resolve(a: AddrExpr): number;
  /** Stops the run with an input error at this line (`FILE:LINE:COL: message`, exit 2). */
  fail(col: number, message: string): never;
  /** Prints a line of output (after the command's events). */
  print(text: string): void;
  /**
   * Registers a child forked from this process under `name`: later lines can address it,
   * and it inherits a copy of this process's symbol table and extension state.
   */
  adoptChild(name: string, pid: Pid): void;
  /** Tells this process's extensions that an access to [va, va+len) is about to happen. */
  observeAccess(access: "read" | "write" | "exec", va: number, len: number): void;
  /** This process's extension state under `key`, created on first use. */
  extension<T extends ProcessExtension>(key: string, create: () => T): T;
}

/** A set of verbs; the interpreter looks verbs up here. */
export class VerbRegistry {
  private readonly verbs = new Map<string, ProcessVerb>();

  /** Adds a verb; throws if the verb is already taken (two layers must not fight over a word). */
  register(v: ProcessVerb): void {
    if (this.verbs.has(v.verb))
      throw new SimError("scenario.verb-twice", `VerbRegistry: verb "${v.verb}" is registered twice`);
    this.verbs.set(v.verb, v);
  }
  get(verb: string): ProcessVerb | undefined {
    return this.verbs.get(verb);
  }
  list(): ProcessVerb[] {
    return [...this.verbs.values()];
  }
}
