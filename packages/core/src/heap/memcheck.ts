/**
 * memcheck for the simulated C heap, after Valgrind's Memcheck (Seward and Nethercote,
 * "Using Valgrind to detect undefined value errors with bit-precision", USENIX 2005; the
 * Valgrind user manual, chapter 4): an addressability bit for every heap byte, redzones
 * around each block, freed blocks made unaddressable and held back in a FIFO quarantine
 * (Valgrind's --freelist-vol) so that a use after free hits poisoned bytes rather than a
 * new block. Errors are data (`HeapError`); memcheck-format.ts words them as Valgrind does.
 */

/** A call stack, innermost frame first, e.g. ["malloc", "main (leak.msim:3)"]. */
export type Where = readonly string[];

/** What memcheck knows about one block the program asked for. */
export interface HeapBlock {
  /** The address the program got. */
  readonly addr: number;
  /** The size the program asked for. */
  size: number;
  /** The allocator's own block (below the leading redzone). */
  readonly real: number;
  readonly allocWhere: Where;
  freeWhere?: Where;
}

/** Where an address lies relative to the nearest block, as Valgrind describes it. */
export type AddrDescription =
  | {
      readonly kind: "block";
      readonly relation: "inside" | "after" | "before";
      readonly offset: number;
      readonly block: HeapBlock;
      readonly state: "alloc'd" | "free'd";
    }
  | { readonly kind: "unknown" };

export type HeapError =
  | {
      readonly kind: "invalid-access";
      readonly access: "read" | "write";
      readonly size: number;
      readonly addr: number;
      readonly where: Where;
      readonly about: AddrDescription;
    }
  | {
      readonly kind: "invalid-free";
      readonly addr: number;
      readonly where: Where;
      readonly about: AddrDescription;
    }
  /** Without memcheck: what glibc prints before it aborts the process. */
  | { readonly kind: "glibc-abort"; readonly addr: number; readonly message: string };

export interface MemcheckOptions {
  /** Bytes of redzone before and after each block (Valgrind: 16). */
  readonly redzone?: number;
  /** Bytes of freed blocks kept unaddressable before reuse (Valgrind: 20,000,000). */
  readonly freelistVol?: number;
}

const PAGE_SHIFT = 12;
const PAGE = 1 << PAGE_SHIFT;

/**
 * Shadow memory and quarantine. `Libc` calls it on every allocation, free and access;
 * it answers which bytes are addressable and how to describe an address.
 */
export class Memcheck {
  readonly redzone: number;
  readonly freelistVol: number;
  /** Every error found, in order. */
  readonly errors: HeapError[] = [];
  private readonly shadow = new Map<number, Uint8Array>();
  private readonly quarantine: HeapBlock[] = [];
  private quarantineHead = 0;
  private quarantineBytes = 0;
  private readonly contexts = new Set<string>();

  constructor(opts: MemcheckOptions = {}) {
    this.redzone = opts.redzone ?? 16;
    this.freelistVol = opts.freelistVol ?? 20_000_000;
  }

  /** Marks [addr, addr+len) addressable (`on`) or not. */
  mark(addr: number, len: number, on: boolean): void {
    for (let a = addr; a < addr + len; ) {
      const page = Math.floor(a / PAGE);
      let bits = this.shadow.get(page);
      if (!bits) {
        if (!on) {
          a = (page + 1) * PAGE;
          continue;
        }
        bits = new Uint8Array(PAGE);
        this.shadow.set(page, bits);
      }
      const end = Math.min(addr + len, (page + 1) * PAGE);
      bits.fill(on ? 1 : 0, a - page * PAGE, end - page * PAGE);
      a = end;
    }
  }

  addressable(addr: number): boolean {
    const bits = this.shadow.get(Math.floor(addr / PAGE));
    return bits !== undefined && bits[addr % PAGE] === 1;
  }

  /** True when every byte of [addr, addr+len) is addressable. */
  rangeAddressable(addr: number, len: number): boolean {
    for (let i = 0; i < len; i++) if (!this.addressable(addr + i)) return false;
    return true;
  }

  /**
   * Puts a freed block in quarantine and returns the blocks that fall out of it (oldest
   * first) once the quarantine holds more than `freelistVol` bytes; the caller frees them.
   */
  quarantineBlock(b: HeapBlock): HeapBlock[] {
    this.mark(b.addr, b.size, false);
    this.quarantine.push(b);
    this.quarantineBytes += b.size;
    const out: HeapBlock[] = [];
    while (this.quarantineBytes > this.freelistVol && this.quarantineHead < this.quarantine.length) {
      const old = this.quarantine[this.quarantineHead++]!;
      this.quarantineBytes -= old.size;
      out.push(old);
    }
    if (this.quarantineHead > 1024 && this.quarantineHead * 2 > this.quarantine.length) {
      this.quarantine.splice(0, this.quarantineHead);
      this.quarantineHead = 0;
    }
    return out;
  }

  /**
   * Describes `addr` as Valgrind does: first a recently freed block whose extent plus
   * redzones brackets it (oldest first), then a live block likewise, else unknown.
   */
  describe(addr: number, live: Iterable<HeapBlock>): AddrDescription {
    for (let i = this.quarantineHead; i < this.quarantine.length; i++) {
      const b = this.quarantine[i]!;
      if (this.brackets(b, addr)) return relate(addr, b, "free'd");
    }
    for (const b of live) if (this.brackets(b, addr)) return relate(addr, b, "alloc'd");
    return { kind: "unknown" };
  }

  private brackets(b: HeapBlock, addr: number): boolean {
    return addr >= b.addr - this.redzone && addr < b.addr + b.size + this.redzone;
  }

  /**
   * Records an error. Returns true when it is the first from its context (same kind and
   * same stack), which is when Valgrind prints it.
   */
  record(e: HeapError): boolean {
    this.errors.push(e);
    const key = errorContext(e);
    if (this.contexts.has(key)) return false;
    this.contexts.add(key);
    return true;
  }

  /** Distinct error contexts so far (the "from M contexts" of the error summary). */
  get contextCount(): number {
    return this.contexts.size;
  }
}

function relate(addr: number, block: HeapBlock, state: "alloc'd" | "free'd"): AddrDescription {
  const d = addr - block.addr;
  if (d < 0) return { kind: "block", relation: "before", offset: -d, block, state };
  if (d >= block.size) return { kind: "block", relation: "after", offset: d - block.size, block, state };
  return { kind: "block", relation: "inside", offset: d, block, state };
}

function errorContext(e: HeapError): string {
  if (e.kind === "invalid-access") return `${e.access}/${e.size}/${e.where.join("|")}`;
  if (e.kind === "invalid-free") return `free/${e.where.join("|")}`;
  return `abort/${e.message}`;
}
