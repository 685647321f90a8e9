/**
 * The C runtime state of one scenario process: its heap (an allocator over the process's
 * own memory, with the libc front and memcheck), its pointer variables and its call stack.
 *
 * Pointer variables are 8-byte words in the process's memory, as in C: a global lives in
 * the data segment (then bss once data is full), a local in the current stack frame.
 * `call f` pushes a frame (a return-address word and the frame's locals below the stack
 * pointer), `ret` pops it, and its locals go out of scope: the words below the stack
 * pointer are no longer roots, which is how a leak appears when a function returns.
 */
import { SimError } from "../base/errors.js";
import type { Machine } from "../kernel/machine.js";
import type { ProcessExtension } from "../scenario/registry.js";
import type { HeapOptions } from "./allocator.js";
import { KernelHeapBacking } from "./kernel-backing.js";
import type { RootRange } from "./leakcheck.js";
import { Libc } from "./libc.js";
import type { Where } from "./memcheck.js";
import { createAllocator } from "./registry.js";
import { copyState, restoreInto } from "./state-copy.js";

/** A pointer variable: where its 8-byte word is. */
export interface PointerVar {
  readonly name: string;
  readonly addr: number;
  readonly local: boolean;
}

interface Frame {
  readonly fn: string;
  /** The scenario line of the `call` that made it (for stack traces). */
  readonly callLine: number;
  /** The stack pointer before the call. */
  readonly sp: number;
  readonly locals: PointerVar[];
}

export interface ProcessHeapOptions {
  readonly policy?: string;
  readonly memcheck?: boolean;
  readonly heap?: HeapOptions;
}

export class ProcessHeap implements ProcessExtension {
  libc: Libc;
  /** The allocator and memcheck setting in force. */
  private opts: ProcessHeapOptions;
  readonly backing: KernelHeapBacking;
  private readonly globals = new Map<string, PointerVar>();
  private nextGlobal: number;
  private readonly frames: Frame[] = [];
  private sp: number;

  constructor(
    private readonly machine: Machine,
    readonly pid: number,
    opts: ProcessHeapOptions = {},
  ) {
    this.backing = new KernelHeapBacking(machine, pid);
    this.opts = opts;
    this.libc = this.makeLibc(opts);
    const layout = machine.process(pid)!.layout;
    this.nextGlobal = layout.dataStart;
    this.sp = layout.stackTop;
    this.frames.push({ fn: "main", callLine: 0, sp: this.sp, locals: [] });
  }

  private makeLibc(opts: ProcessHeapOptions): Libc {
    const a = createAllocator(opts.policy ?? "first-fit", this.backing, opts.heap ?? {});
    if (!a) throw new SimError("heap.policy", `ProcessHeap: unknown heap policy ${opts.policy}`);
    return new Libc(a, { memcheck: opts.memcheck ?? true });
  }

  /**
   * Chooses another allocator or memcheck setting. Only before the first allocation (the
   * heap is still empty); returns false afterwards.
   */
  configure(opts: ProcessHeapOptions): boolean {
    if (this.libc.allocator.heapEnd() !== 0 || this.libc.usage().allocs > 0) return false;
    this.opts = opts;
    this.libc = this.makeLibc(opts);
    return true;
  }

  /** The heap's bookkeeping (the bytes are the machine's to snapshot). */
  snapshot(): unknown {
    return { opts: this.opts, state: copyState(this) };
  }

  restore(snap: unknown): void {
    const { opts, state } = snap as { opts: ProcessHeapOptions; state: unknown };
    if (opts !== this.opts) {
      this.opts = opts;
      this.libc = this.makeLibc(opts);
    }
    restoreInto(this, state);
  }

  /**
   * A forked child gets no heap record: its copy of the parent's blocks is untracked and
   * its first malloc starts a new heap above the inherited one.
   */
  fork(): null {
    return null;
  }

  private get layout() {
    return this.machine.process(this.pid)!.layout;
  }

  /** The variable `name` visible now (a local of the current frame first), if any. */
  variable(name: string): PointerVar | undefined {
    return this.frames[this.frames.length - 1]!.locals.find((v) => v.name === name) ?? this.globals.get(name);
  }

  /** Declares the global `name` in the data segment (then bss); null when both are full. */
  declareGlobal(name: string): PointerVar | null {
    const existing = this.globals.get(name);
    if (existing) return existing;
    const l = this.layout;
    if (this.nextGlobal + 8 > l.heapStart) return null;
    const v: PointerVar = { name, addr: this.nextGlobal, local: false };
    this.nextGlobal += 8;
    this.globals.set(name, v);
    this.machine.writeWord(this.pid, v.addr, 8, 0);
    return v;
  }

  /** Declares `name` as a local of the current frame, set to 0 (NULL). */
  declareLocal(name: string): PointerVar {
    const f = this.frames[this.frames.length - 1]!;
    const old = f.locals.find((v) => v.name === name);
    if (old) return old;
    this.sp -= 8;
    const v: PointerVar = { name, addr: this.sp, local: true };
    f.locals.push(v);
    this.machine.writeWord(this.pid, v.addr, 8, 0);
    return v;
  }

  /** Pushes a frame for `fn`, storing a return-address word on the stack. */
  call(fn: string, line: number): void {
    const sp = this.sp;
    this.sp -= 8;
    this.machine.writeWord(this.pid, this.sp, 8, this.layout.textStart + 16 * line);
    this.frames.push({ fn, callLine: line, sp, locals: [] });
  }

  /** Pops the current frame; false in main. Returns the names of the locals that went out of scope. */
  ret(): string[] | null {
    if (this.frames.length === 1) return null;
    const f = this.frames.pop()!;
    this.sp = f.sp;
    return f.locals.map((v) => v.name);
  }

  /** The call stack for messages, innermost first: `f (line 12)`, `main (line 3)`. */
  where(line: number): Where {
    const out: string[] = [];
    let at = line;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      out.push(`${f.fn} (line ${at})`);
      at = f.callLine;
    }
    return out;
  }

  read(v: PointerVar): number {
    const r = this.machine.readWord(this.pid, v.addr, 8);
    return r.kind === "ok" ? r.value : 0;
  }

  write(v: PointerVar, value: number): void {
    this.machine.writeWord(this.pid, v.addr, 8, value);
  }

  /** The root set of the leak check: data and bss, and the live part of the stack. */
  roots(): RootRange[] {
    const l = this.layout;
    return [
      { start: l.dataStart, end: l.heapStart },
      { start: this.sp, end: l.stackTop },
    ];
  }
}
