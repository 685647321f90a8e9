/**
 * The Machine: the simulated hardware and the kernel's memory manager as one computer.
 *
 * Drivers (a scenario, a heap layer, a program) call it with a process id: byte reads and
 * writes through the process's address space (faulting as usual), and the memory system
 * calls (brk, mmap, munmap, mprotect, fork, exit, shm). Every step is reported to the
 * attached event sink; `snapshot()`/`restore()` capture the whole machine, so restoring
 * and replaying the same calls gives the same events.
 */
import type { EventSink } from "../base/index.js";
import { hex, invariant } from "../base/index.js";
import type { HwEvent } from "../hw/events.js";
import { createHardware, type Hardware, type HwSnapshot } from "../hw/hardware.js";
import { FAULT } from "../hw/mmu.js";
import { createPolicy } from "../replacement/registry.js";
import { deepClone } from "./clone.js";
import { type MachineConfig, type ResolvedConfig, resolveConfig } from "./config.js";
import type { AccessKind, KernelEvent, SegvReason } from "./events.js";
import { handleFault, SEGV_TEXT } from "./fault.js";
import { createFrameAllocator } from "./frame-allocator.js";
import { checkInvariants } from "./invariants.js";
import { Kernel, KernelState } from "./kernel.js";
import { type ImageSizes, vaHex } from "./layout.js";
import { defineLibrary, exitProcess, fork, type SysResult, spawn, sysErr, sysOk } from "./lifecycle.js";
import * as mm from "./mm.js";
import type { Process } from "./process.js";
import { procMaps, procMeminfo, procSmaps, procStatus } from "./procfs.js";
import { type MachineReport, machineReport } from "./report.js";
import { SwapSpace } from "./swap.js";

/** Everything a machine reports to its sink. */
export type MachineEvent = HwEvent | KernelEvent;

/** The outcome of an access by a process. */
export type AccessResult<T> =
  | { readonly kind: "ok"; readonly value: T }
  | { readonly kind: "segv"; readonly va: number; readonly reason: SegvReason }
  | { readonly kind: "killed"; readonly reason: string }
  | { readonly kind: "not-running"; readonly reason: string };

/** A whole-machine checkpoint. Treat as opaque and immutable. */
export interface MachineSnapshot {
  readonly hw: HwSnapshot;
  readonly kernel: KernelState;
}

/** Builds a machine, or returns a sentence saying what is wrong with the configuration. */
export function createMachine(
  config: MachineConfig = {},
): { ok: true; machine: Machine } | { ok: false; problem: string } {
  const r = resolveConfig(config);
  if (typeof r === "string") return { ok: false, problem: r };
  const hw = createHardware({ format: r.format, frames: r.frames, tlb: r.tlb });
  if (!hw.ok) return { ok: false, problem: hw.problem };
  return { ok: true, machine: new Machine(r, hw.value) };
}

export class Machine {
  readonly config: ResolvedConfig;
  readonly hw: Hardware;
  readonly kernel: Kernel;
  private readonly keep: ReadonlySet<object>;
  /** Why the last failed `touch` failed. */
  lastFailure: AccessResult<never> | null = null;

  /** Use `createMachine` for a checked construction. */
  constructor(config: ResolvedConfig, hw: Hardware) {
    this.config = config;
    this.hw = hw;
    const state = new KernelState(
      config.frames,
      createFrameAllocator(config.allocator, config.frames),
      new SwapSpace(config.swapSlots, config.format.pageSize),
      createPolicy(config.policy, { capacity: config.frames, seed: config.seed }),
    );
    this.kernel = new Kernel(hw, state, config.watermarks, config.kswapd, config.guardGap);
    this.kernel.kill = (p, signal, reason) => exitProcess(this.kernel, p, 0, signal, reason);
    const f = config.format;
    this.keep = new Set<object>([f, f.codec, f.layout, f.caps]);
  }

  get pageSize(): number {
    return this.config.format.pageSize;
  }

  /** Attaches (or with null detaches) the sink receiving hardware and kernel events. */
  setSink(sink: EventSink<MachineEvent> | null): void {
    this.hw.setSink(sink);
    this.kernel.sink = sink;
  }

  /** The process `pid` (any state), or undefined. */
  process(pid: number): Process | undefined {
    return this.kernel.s.procs.get(pid);
  }

  /** Every process ever created, in pid order. */
  processes(): Process[] {
    return [...this.kernel.s.procs.values()];
  }

  // ------------------------------------------------------------ processes

  /** Registers a shared library of `size` bytes. */
  defineLibrary(name: string, size: number): SysResult<number> {
    if (this.kernel.s.libs.has(name)) return sysErr(`library ${name} already exists`);
    return sysOk(defineLibrary(this.kernel, name, size));
  }

  /** Creates a process; returns its pid. */
  spawn(name: string, sizes: ImageSizes, libs: readonly string[] = []): SysResult<number> {
    return this.after(() => {
      const r = spawn(this.kernel, name, sizes, libs);
      return r.ok ? sysOk(r.value.pid) : r;
    });
  }

  /** fork(2); returns the child's pid. */
  fork(pid: number, childName: string): SysResult<number> {
    const p = this.running(pid);
    if (!p.ok) return p;
    return this.after(() => {
      const r = fork(this.kernel, p.value, childName);
      return r.ok ? sysOk(r.value.pid) : r;
    });
  }

  /** exit(2) with `code`. */
  exit(pid: number, code = 0): SysResult<number> {
    const p = this.running(pid);
    if (!p.ok) return p;
    exitProcess(this.kernel, p.value, code, null, null);
    return sysOk(code);
  }

  /** Kills a process with `signal`, `reason` saying why. */
  kill(pid: number, signal: string, reason: string): SysResult<number> {
    const p = this.running(pid);
    if (!p.ok) return p;
    exitProcess(this.kernel, p.value, 0, signal, reason);
    return sysOk(0);
  }

  // ------------------------------------------------------------ memory system calls

  /** brk(2): sets the break; returns the new break. */
  brk(pid: number, newBrk: number): SysResult<number> {
    return this.call(pid, (p) => mm.brk(this.kernel, p, newBrk));
  }

  /** sbrk(3): moves the break by `delta`; returns the old break. */
  sbrk(pid: number, delta: number): SysResult<number> {
    return this.call(pid, (p) => {
      const old = p.brk;
      const r = mm.brk(this.kernel, p, old + delta);
      return r.ok ? sysOk(old) : r;
    });
  }

  mmap(pid: number, req: mm.MmapRequest): SysResult<number> {
    return this.call(pid, (p) => mm.mmap(this.kernel, p, req));
  }

  munmap(pid: number, start: number, len: number): SysResult<number> {
    return this.call(pid, (p) => mm.munmap(this.kernel, p, start, len));
  }

  mprotect(pid: number, start: number, len: number, prot: number): SysResult<number> {
    return this.call(pid, (p) => mm.mprotect(this.kernel, p, start, len, prot));
  }

  shmCreate(name: string, size: number): SysResult<number> {
    const r = mm.shmCreate(this.kernel, name, size);
    return r.ok ? sysOk(r.value.id) : r;
  }

  shmAttach(pid: number, name: string, at: number | null, prot: number): SysResult<number> {
    return this.call(pid, (p) => mm.shmAttach(this.kernel, p, name, at, prot));
  }

  shmDetach(pid: number, name: string): SysResult<number> {
    return this.call(pid, (p) => mm.shmDetach(this.kernel, p, name));
  }

  shmRemove(name: string): SysResult<number> {
    return mm.shmRemove(this.kernel, name);
  }

  // ------------------------------------------------------------ accesses

  /**
   * One access of `pid` to the byte at `va`, through the TLB and page tables, faulting
   * as needed. True when it completed; false when the process died or was not running
   * (`lastFailure` says why). The fast path of benchmarks and traces: allocates nothing
   * on a TLB hit.
   */
  touch(pid: number, va: number, access: AccessKind): boolean {
    const s = this.kernel.s;
    const p = s.procs.get(pid);
    if (p === undefined || p.space === null) return this.notRunning(pid);
    const pa = this.translate(p, va, access);
    if (s.expiring || s.kswapdWake) this.kernel.afterAccess();
    return pa !== FAULT;
  }

  /** Reads `len` bytes of `pid` at `va`. */
  read(pid: number, va: number, len: number): AccessResult<Uint8Array> {
    const out = new Uint8Array(len);
    const r = this.forEachPage(pid, va, len, "read", (pa, off, n) =>
      out.set(this.hw.mem.u8.subarray(pa, pa + n), off),
    );
    return r.kind === "ok" ? { kind: "ok", value: out } : r;
  }

  /** Writes `bytes` at `va` in `pid`'s address space. */
  write(pid: number, va: number, bytes: Uint8Array): AccessResult<number> {
    const r = this.forEachPage(pid, va, bytes.length, "write", (pa, off, n) =>
      this.hw.mem.u8.set(bytes.subarray(off, off + n), pa),
    );
    return r.kind === "ok" ? { kind: "ok", value: bytes.length } : r;
  }

  /** Writes `len` copies of `byte` at `va`. */
  fill(pid: number, va: number, len: number, byte: number): AccessResult<number> {
    const r = this.forEachPage(pid, va, len, "write", (pa, _off, n) => this.hw.mem.u8.fill(byte, pa, pa + n));
    return r.kind === "ok" ? { kind: "ok", value: len } : r;
  }

  /** Instruction fetches over `len` bytes at `va` (needs execute permission). */
  exec(pid: number, va: number, len: number): AccessResult<number> {
    const r = this.forEachPage(pid, va, len, "exec", () => {});
    return r.kind === "ok" ? { kind: "ok", value: len } : r;
  }

  /** A little-endian unsigned value of `size` bytes (1, 2, 4; 8 up to 2^53). */
  readWord(pid: number, va: number, size: 1 | 2 | 4 | 8): AccessResult<number> {
    const r = this.read(pid, va, size);
    if (r.kind !== "ok") return r;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (r.value[i] as number);
    return { kind: "ok", value: v };
  }

  /** Stores `value` as `size` little-endian bytes. */
  writeWord(pid: number, va: number, size: 1 | 2 | 4 | 8, value: number): AccessResult<number> {
    const b = new Uint8Array(size);
    let v = value;
    for (let i = 0; i < size; i++) {
      b[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return this.write(pid, va, b);
  }

  /** Runs `fn(pa, offset, n)` for each page-sized piece of [va, va+len), translating each once. */
  private forEachPage(
    pid: number,
    va: number,
    len: number,
    access: AccessKind,
    fn: (pa: number, off: number, n: number) => void,
  ): AccessResult<number> {
    const p = this.kernel.s.procs.get(pid);
    if (p === undefined || p.space === null) {
      this.notRunning(pid);
      return this.lastFailure as AccessResult<number>;
    }
    const ps = this.pageSize;
    let off = 0;
    while (off < len) {
      const a = va + off;
      const n = Math.min(len - off, ps - (((a % ps) + ps) % ps));
      const pa = this.translate(p, a, access);
      if (pa === FAULT) {
        this.kernel.afterAccess();
        return this.lastFailure as AccessResult<number>;
      }
      fn(pa, off, n);
      off += n;
    }
    this.kernel.afterAccess();
    return { kind: "ok", value: len };
  }

  /** Translate with fault handling; FAULT when the process died (lastFailure set). */
  private translate(p: Process, va: number, access: AccessKind): number {
    const k = this.kernel;
    const s = k.s;
    const space = p.space as NonNullable<Process["space"]>;
    if (s.current !== p.pid) this.switchTo(p);
    s.tick++;
    p.accesses++;
    let faulted = false;
    for (let tries = 0; tries < 4; tries++) {
      const pa = this.hw.mmu.translateFast(space, va, access, "user");
      if (pa !== FAULT) {
        const pfn = this.hw.mmu.lastPfn;
        if (!faulted && s.tracked[pfn]) k.referenced(pfn, access === "write");
        return pa;
      }
      faulted = true;
      const out = handleFault(k, p, va, access, this.hw.mmu.faultPteAddr);
      if (out.kind === "segv") {
        const reason = `SIGSEGV at ${vaHex(va)}: ${SEGV_TEXT[out.reason]}`;
        exitProcess(k, p, 0, "SIGSEGV", reason);
        this.lastFailure = { kind: "segv", va, reason: out.reason };
        return FAULT;
      }
      if (out.kind === "killed") {
        this.lastFailure = { kind: "killed", reason: p.reason ?? "killed" };
        return FAULT;
      }
    }
    invariant(false, "machine.fault-loop", `translate: ${hex(va)} still faults after the kernel resolved it`);
  }

  private switchTo(p: Process): void {
    const s = this.kernel.s;
    const flush = !this.config.asid && s.current !== 0;
    this.kernel.emit({ kind: "context-switch", from: s.current, to: p.pid, flush });
    s.current = p.pid;
    this.hw.mmu.switchTo(p.space as NonNullable<Process["space"]>);
  }

  private notRunning(pid: number): false {
    const p = this.kernel.s.procs.get(pid);
    const reason = p === undefined ? `no process ${pid}` : `${p.name} is not running (${p.state})`;
    this.lastFailure = { kind: "not-running", reason };
    return false;
  }

  private running(pid: number): SysResult<Process> {
    const p = this.kernel.s.procs.get(pid);
    if (p === undefined) return sysErr(`no process ${pid}`);
    if (!p.isRunning()) return sysErr(`${p.name} is not running (${p.state})`);
    return sysOk(p);
  }

  private call<T>(pid: number, fn: (p: Process) => SysResult<T>): SysResult<T> {
    const p = this.running(pid);
    if (!p.ok) return p;
    return this.after(() => fn(p.value));
  }

  private after<T>(fn: () => T): T {
    const r = fn();
    this.kernel.runKswapd();
    return r;
  }

  // ------------------------------------------------------------ views

  /** The run report (processes keyed by `nameOf(pid)`, default their names). */
  report(nameOf?: (pid: number) => string): MachineReport {
    return machineReport(this, nameOf);
  }

  /** /proc/PID/maps of `pid`, or null for an unknown pid. */
  procMaps(pid: number): string | null {
    const p = this.process(pid);
    return p === undefined ? null : procMaps(p);
  }

  /** /proc/PID/status of `pid`, or null. */
  procStatus(pid: number): string | null {
    const p = this.process(pid);
    return p === undefined ? null : procStatus(this.kernel, p);
  }

  /** /proc/PID/smaps of `pid`, or null. */
  procSmaps(pid: number): string | null {
    const p = this.process(pid);
    return p === undefined ? null : procSmaps(this.kernel, p);
  }

  /**
   * Who maps frame `pfn` (the reverse map): process, page address and the PTE's physical
   * address, for a frame-map view. Empty for a free, page-table or unmapped frame.
   */
  whoMaps(pfn: number): { pid: number; name: string; va: number; pte: number }[] {
    return (this.kernel.s.rmap[pfn] ?? []).map((r) => ({ ...r, name: this.process(r.pid)?.name ?? "" }));
  }

  /** /proc/meminfo. */
  meminfo(): string {
    return procMeminfo(this.kernel);
  }

  // ------------------------------------------------------------ checking and time travel

  /** Every broken kernel invariant, as sentences (empty when all hold). */
  check(): string[] {
    return checkInvariants(this.kernel);
  }

  /** A copy of the whole machine state. */
  snapshot(): MachineSnapshot {
    return { hw: this.hw.snapshot(), kernel: deepClone(this.kernel.s, this.keep) };
  }

  /** Puts the machine back in the state of `snap` (taken from this machine). */
  restore(snap: MachineSnapshot): void {
    this.hw.restore(snap.hw);
    this.kernel.s = deepClone(snap.kernel, this.keep);
  }
}
