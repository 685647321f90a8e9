/**
 * The heap of a simulated process: a `HeapBacking` whose bytes are the process's own
 * virtual memory, reached through the MMU (so every header the allocator reads is a real
 * load, faulting pages in on first touch), whose break is the process's brk and whose
 * large blocks are anonymous mmaps. Heap pages therefore show in RSS and the frame map.
 */
import type { Machine } from "../kernel/machine.js";
import { PROT_READ, PROT_WRITE } from "../kernel/vma.js";
import type { HeapBacking } from "./backing.js";

export class KernelHeapBacking implements HeapBacking {
  readonly pageSize: number;

  constructor(
    private readonly machine: Machine,
    private readonly pid: number,
  ) {
    this.pageSize = machine.pageSize;
  }

  private load(addr: number, size: 1 | 2 | 4 | 8): number {
    const r = this.machine.readWord(this.pid, addr, size);
    return r.kind === "ok" ? r.value : 0;
  }

  private store(addr: number, size: 1 | 2 | 4 | 8, value: number): void {
    this.machine.writeWord(this.pid, addr, size, value);
  }

  read8(addr: number): number {
    return this.load(addr, 1);
  }
  read16(addr: number): number {
    return this.load(addr, 2);
  }
  read32(addr: number): number {
    return this.load(addr, 4);
  }
  read64(addr: number): number {
    return this.load(addr, 8);
  }
  write8(addr: number, value: number): void {
    this.store(addr, 1, value);
  }
  write16(addr: number, value: number): void {
    this.store(addr, 2, value);
  }
  write32(addr: number, value: number): void {
    this.store(addr, 4, value);
  }
  write64(addr: number, value: number): void {
    this.store(addr, 8, value);
  }

  fill(addr: number, len: number, value: number): void {
    if (len > 0) this.machine.fill(this.pid, addr, len, value);
  }

  copy(dst: number, src: number, len: number): void {
    if (len <= 0) return;
    const r = this.machine.read(this.pid, src, len);
    if (r.kind === "ok") this.machine.write(this.pid, dst, r.value);
  }

  sbrk(delta: number): number {
    const r = this.machine.sbrk(this.pid, delta);
    return r.ok ? r.value : -1;
  }

  mmap(len: number): number {
    const r = this.machine.mmap(this.pid, {
      length: len,
      prot: PROT_READ | PROT_WRITE,
      shared: false,
      at: null,
      label: null,
    });
    return r.ok ? r.value : -1;
  }

  munmap(addr: number, len: number): boolean {
    return this.machine.munmap(this.pid, addr, len).ok;
  }

  /**
   * An 8-byte word as the leak checker reads it: without side effects when the page is
   * resident (no accessed bit, no TLB fill), else through a normal load.
   */
  peek64(addr: number): number {
    const p = this.machine.process(this.pid);
    const space = p?.space;
    if (space) {
      const t = this.machine.hw.mmu.peek(space, addr, "read", "user");
      if (t.kind === "ok") {
        const u8 = this.machine.hw.mem.u8;
        let v = 0;
        for (let i = 7; i >= 0; i--) v = v * 256 + u8[t.pa + i]!;
        return v;
      }
    }
    return this.load(addr, 8);
  }
}
