/**
 * A recorded allocation log, compacted for replay: one entry per operation in typed
 * arrays, every block named by a dense slot number (its identity in the log) instead of
 * the traced program's address, so that a replay needs no hash lookups.
 * Built by the Valgrind --trace-malloc and glibc mtrace parsers.
 */

/** Operation kinds. */
export const MOP_MALLOC = 1;
/** calloc: `size` holds nmemb*size; the block is zeroed. */
export const MOP_CALLOC = 2;
/** realloc(slot → slot2, size): slot -1 is realloc(NULL, n); slot2 -1 with size 0 is realloc(p, 0). */
export const MOP_REALLOC = 3;
/** free (and C++ delete): slot -1 for free(NULL) or a block the log never allocated. */
export const MOP_FREE = 4;
/** memalign / posix_memalign / aligned_alloc / aligned new: `align` holds the alignment. */
export const MOP_MEMALIGN = 5;
/** malloc_usable_size(slot): a query. */
export const MOP_USABLE = 6;
/** An allocation that failed in the traced program (it got NULL); nothing to replay. */
export const MOP_FAILED = 7;

export interface MallocTrace {
  /** The traced process (0 when the format does not say). */
  readonly pid: number;
  readonly length: number;
  readonly kind: Uint8Array;
  readonly slot: Int32Array;
  readonly slot2: Int32Array;
  readonly size: Float64Array;
  readonly align: Float64Array;
  /** Number of distinct blocks (slots) the log allocates. */
  readonly slots: number;
  /** frees of NULL (no-ops). */
  readonly nullFrees: number;
  /** frees of addresses the log never allocated (no-ops in replay). */
  readonly unmatchedFrees: number;
  /** How many times each traced function appears (malloc, _Znwm, free, …). */
  readonly calls: Readonly<Record<string, number>>;
}

/** Accumulates operations of one process, mapping traced addresses to slots. */
export class MallocTraceBuilder {
  readonly pid: number;
  private n = 0;
  private kind = new Uint8Array(1024);
  private slot = new Int32Array(1024);
  private slot2 = new Int32Array(1024);
  private size = new Float64Array(1024);
  private align = new Float64Array(1024);
  private readonly live = new Map<number, number>();
  private slots = 0;
  private nullFrees = 0;
  private unmatchedFrees = 0;
  private readonly calls: Record<string, number> = {};

  constructor(pid: number) {
    this.pid = pid;
  }

  /** Counts one call of the traced function `fn`. */
  call(fn: string): void {
    this.calls[fn] = (this.calls[fn] ?? 0) + 1;
  }

  private push(kind: number, slot: number, slot2: number, size: number, align: number): void {
    if (this.n === this.kind.length) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.slot[i] = slot;
    this.slot2[i] = slot2;
    this.size[i] = size;
    this.align[i] = align;
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const s = new Int32Array(cap);
    s.set(this.slot);
    this.slot = s;
    const s2 = new Int32Array(cap);
    s2.set(this.slot2);
    this.slot2 = s2;
    const z = new Float64Array(cap);
    z.set(this.size);
    this.size = z;
    const a = new Float64Array(cap);
    a.set(this.align);
    this.align = a;
  }

  /** A new slot for the block at traced address `addr`. */
  private born(addr: number): number {
    const s = this.slots++;
    this.live.set(addr, s);
    return s;
  }

  /** The slot of the live block at `addr`, forgetting it; -1 when unknown. */
  private dies(addr: number): number {
    const s = this.live.get(addr);
    if (s === undefined) return -1;
    this.live.delete(addr);
    return s;
  }

  /** An allocation of `size` bytes that returned `addr` (0: it failed). */
  alloc(kind: typeof MOP_MALLOC | typeof MOP_CALLOC, size: number, addr: number): void {
    if (addr === 0) this.push(MOP_FAILED, -1, -1, size, 0);
    else this.push(kind, this.born(addr), -1, size, 0);
  }

  memalign(align: number, size: number, addr: number): void {
    if (addr === 0) this.push(MOP_FAILED, -1, -1, size, align);
    else this.push(MOP_MEMALIGN, this.born(addr), -1, size, align);
  }

  free(addr: number): void {
    if (addr === 0) {
      this.nullFrees++;
      this.push(MOP_FREE, -1, -1, 0, 0);
      return;
    }
    const s = this.dies(addr);
    if (s < 0) this.unmatchedFrees++;
    this.push(MOP_FREE, s, -1, 0, 0);
  }

  /** realloc(old, size) = addr. old 0 is realloc(NULL, n); size 0 with addr 0 frees old. */
  realloc(old: number, size: number, addr: number): void {
    if (addr === 0 && size !== 0) {
      this.push(MOP_FAILED, -1, -1, size, 0);
      return;
    }
    const from = old === 0 ? -1 : this.dies(old);
    if (old !== 0 && from < 0) this.unmatchedFrees++;
    const to = addr === 0 ? -1 : this.born(addr);
    this.push(MOP_REALLOC, from, to, size, 0);
  }

  usable(addr: number): void {
    this.push(MOP_USABLE, this.live.get(addr) ?? -1, -1, 0, 0);
  }

  build(): MallocTrace {
    const n = this.n;
    return {
      pid: this.pid,
      length: n,
      kind: this.kind.slice(0, n),
      slot: this.slot.slice(0, n),
      slot2: this.slot2.slice(0, n),
      size: this.size.slice(0, n),
      align: this.align.slice(0, n),
      slots: this.slots,
      nullFrees: this.nullFrees,
      unmatchedFrees: this.unmatchedFrees,
      calls: { ...this.calls },
    };
  }
}
