/**
 * pymalloc, CPython's small-object allocator (Objects/obmalloc.c), as configured in 3.11 on
 * 64-bit Linux (`sys._debugmallocstats()` prints it): 1 MiB arenas, 16 KiB pools, 32 size
 * classes of 16 bytes up to 512 bytes. Larger requests go to the C heap.
 *
 *   arena (1 MiB, mmap'ed, page aligned)
 *   +------+--------+--------+-- ... --+--------+------+
 *   | lost | pool 0 | pool 1 |         | pool 62| lost |   pools sit on 16 KiB boundaries,
 *   +------+--------+--------+-- ... --+--------+------+   so an unaligned arena loses one
 *   pool: [48-byte header][block][block]...  (all blocks of one size class)
 *
 * A pool serves one size class; freed blocks go on the pool's free list (LIFO) and are
 * reused before never-touched blocks. An empty pool returns to its arena; an arena whose
 * pools are all empty is unmapped. New pools come from the usable arena with the fewest
 * free pools, so that nearly empty arenas drain and can be released.
 */
import { SimError } from "../base/errors.js";
import type { ObjectMemory } from "./memory.js";

/** obmalloc geometry of 64-bit 3.11 builds. */
export const ARENA_SIZE = 1 << 20;
export const POOL_SIZE = 1 << 14;
export const POOL_OVERHEAD = 48;
export const ALIGNMENT = 16;
export const SMALL_REQUEST_THRESHOLD = 512;
export const NB_SMALL_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD / ALIGNMENT;

/** Size class of a small request (0 for 1..16 bytes, 31 for 497..512). Precondition: 1 ≤ n ≤ 512. */
export const sizeClassOf = (n: number): number => (n - 1) >> 4;
/** Block size of a size class. */
export const classBlockSize = (c: number): number => (c + 1) << 4;

interface Arena {
  readonly addr: number;
  readonly firstPool: number;
  readonly totalPools: number;
  carved: number;
  readonly freePools: number[];
}

interface Pool {
  readonly base: number;
  readonly arena: Arena;
  sizeClass: number;
  blockSize: number;
  maxBlocks: number;
  used: number;
  nextBlock: number;
  readonly freeBlocks: number[];
}

/** Counters in the spirit of `sys._debugmallocstats()`. */
export interface PymallocStats {
  readonly arenasAllocated: number;
  readonly arenasReclaimed: number;
  readonly arenasHighwater: number;
  readonly arenasCurrent: number;
  readonly poolsInUse: number;
  readonly blocksInUse: number;
  readonly bytesInUse: number;
  /** Bytes of pool headers and arena alignment: memory mapped but never usable for blocks. */
  readonly overheadBytes: number;
  readonly largeBlocks: number;
  readonly largeBytes: number;
  /** Per size class: pools and blocks in use. */
  readonly classes: readonly { readonly size: number; readonly pools: number; readonly blocks: number }[];
}

/** The allocator. `malloc` returns an address or null (out of memory); `free` takes it back. */
export class Pymalloc {
  private readonly arenas: Arena[] = [];
  private readonly pools = new Map<number, Pool>();
  private readonly usable: Pool[][] = Array.from({ length: NB_SMALL_SIZE_CLASSES }, () => []);
  private readonly large = new Map<number, number>();
  private allocated = 0;
  private reclaimed = 0;
  private highwater = 0;
  private blocks = 0;
  private bytes = 0;
  private largeBytes = 0;
  /** Pools are keyed by their number relative to the first arena's, small enough to be a Smi. */
  private keyBase = Number.NaN;

  constructor(private readonly mem: ObjectMemory) {}

  /** pymalloc_alloc, or the C heap above 512 bytes. Returns null when memory is exhausted. */
  malloc(nbytes: number): number | null {
    if (nbytes <= 0) nbytes = 1;
    if (nbytes > SMALL_REQUEST_THRESHOLD) return this.mallocLarge(nbytes);
    const c = sizeClassOf(nbytes);
    const usable = this.usable[c] as Pool[];
    let pool = usable[usable.length - 1];
    if (pool === undefined) {
      const fresh = this.newPool(c);
      if (fresh === null) return null;
      pool = fresh;
      usable.push(pool);
    }
    const addr =
      pool.freeBlocks.length > 0
        ? (pool.freeBlocks.pop() as number)
        : pool.base + POOL_OVERHEAD + pool.nextBlock++ * pool.blockSize;
    pool.used++;
    this.blocks++;
    this.bytes += pool.blockSize;
    if (pool.used === pool.maxBlocks) usable.pop();
    this.mem.touch?.(addr, 16);
    return addr;
  }

  /** pymalloc_free (or free() of a large block). Freeing an unknown address is a bug. */
  free(addr: number): void {
    const pool = this.pools.get(this.poolKey(addr));
    if (pool === undefined || pool.used === 0) {
      if (this.large.has(addr)) {
        this.freeLargeBlock(addr);
        return;
      }
      throw new SimError("pymalloc-bad-free", `pymalloc.free: ${addr.toString(16)} was not allocated`);
    }
    const wasFull = pool.used === pool.maxBlocks;
    pool.freeBlocks.push(addr);
    pool.used--;
    this.blocks--;
    this.bytes -= pool.blockSize;
    const usable = this.usable[pool.sizeClass] as Pool[];
    if (wasFull) usable.push(pool);
    if (pool.used === 0) this.releasePool(pool, usable);
  }

  /** Usable size of the block at `addr` (its size class, or the malloc'ed size). */
  blockSize(addr: number): number {
    const pool = this.pools.get(this.poolKey(addr));
    if (pool !== undefined && pool.used > 0) return pool.blockSize;
    return this.large.get(addr) ?? 0;
  }

  stats(): PymallocStats {
    const classes = Array.from({ length: NB_SMALL_SIZE_CLASSES }, (_, c) => ({
      size: classBlockSize(c),
      pools: 0,
      blocks: 0,
    }));
    let poolsInUse = 0;
    for (const p of this.pools.values()) {
      if (p.used === 0) continue;
      poolsInUse++;
      const row = classes[p.sizeClass] as { pools: number; blocks: number };
      row.pools++;
      row.blocks += p.used;
    }
    const arenasCurrent = this.arenas.length;
    const usablePools = this.arenas.reduce((s, a) => s + a.totalPools, 0);
    return {
      arenasAllocated: this.allocated,
      arenasReclaimed: this.reclaimed,
      arenasHighwater: this.highwater,
      arenasCurrent,
      poolsInUse,
      blocksInUse: this.blocks,
      bytesInUse: this.bytes,
      overheadBytes: arenasCurrent * ARENA_SIZE - usablePools * POOL_SIZE + poolsInUse * POOL_OVERHEAD,
      largeBlocks: this.large.size,
      largeBytes: this.largeBytes,
      classes: classes.filter((r) => r.pools > 0),
    };
  }

  /** Mapped arena bytes plus large blocks: what pymalloc adds to the process's RSS at most. */
  footprint(): number {
    return this.arenas.length * ARENA_SIZE + this.largeBytes;
  }

  private poolKey(addr: number): number {
    return Math.floor(addr / POOL_SIZE) - this.keyBase;
  }

  private mallocLarge(nbytes: number): number | null {
    const addr = this.mem.mallocLarge(nbytes);
    if (addr === null) return null;
    this.large.set(addr, nbytes);
    this.largeBytes += nbytes;
    return addr;
  }

  private freeLargeBlock(addr: number): void {
    this.largeBytes -= this.large.get(addr) ?? 0;
    this.large.delete(addr);
    this.mem.freeLarge(addr);
  }

  /** A pool for class `c`: a freed pool or a fresh one from the fullest usable arena. */
  private newPool(c: number): Pool | null {
    let arena: Arena | undefined;
    for (const a of this.arenas) {
      const free = a.freePools.length + (a.totalPools - a.carved);
      if (free === 0) continue;
      if (arena === undefined || free < arena.freePools.length + (arena.totalPools - arena.carved)) arena = a;
    }
    if (arena === undefined) {
      const fresh = this.newArena();
      if (fresh === null) return null;
      arena = fresh;
    }
    const base =
      arena.freePools.length > 0
        ? (arena.freePools.pop() as number)
        : arena.firstPool + arena.carved++ * POOL_SIZE;
    let pool = this.pools.get(this.poolKey(base));
    if (pool === undefined) {
      pool = { base, arena, sizeClass: c, blockSize: 0, maxBlocks: 0, used: 0, nextBlock: 0, freeBlocks: [] };
      this.pools.set(this.poolKey(base), pool);
    }
    pool.sizeClass = c;
    pool.blockSize = classBlockSize(c);
    pool.maxBlocks = Math.floor((POOL_SIZE - POOL_OVERHEAD) / pool.blockSize);
    pool.nextBlock = 0;
    pool.freeBlocks.length = 0;
    this.mem.touch?.(base, POOL_OVERHEAD);
    return pool;
  }

  private newArena(): Arena | null {
    const addr = this.mem.mapArena(ARENA_SIZE);
    if (addr === null) return null;
    const firstPool = Math.ceil(addr / POOL_SIZE) * POOL_SIZE;
    if (Number.isNaN(this.keyBase)) this.keyBase = firstPool / POOL_SIZE;
    const totalPools = Math.floor((addr + ARENA_SIZE - firstPool) / POOL_SIZE);
    const arena: Arena = { addr, firstPool, totalPools, carved: 0, freePools: [] };
    this.arenas.push(arena);
    this.allocated++;
    this.highwater = Math.max(this.highwater, this.arenas.length);
    return arena;
  }

  /** An empty pool goes back to its arena; an arena with every pool empty is unmapped. */
  private releasePool(pool: Pool, usable: Pool[]): void {
    const i = usable.lastIndexOf(pool);
    if (i >= 0) usable.splice(i, 1);
    const arena = pool.arena;
    arena.freePools.push(pool.base);
    if (arena.freePools.length !== arena.carved) return;
    for (let k = 0; k < arena.carved; k++) this.pools.delete(this.poolKey(arena.firstPool + k * POOL_SIZE));
    this.arenas.splice(this.arenas.indexOf(arena), 1);
    this.mem.unmapArena(arena.addr, ARENA_SIZE);
    this.reclaimed++;
  }
}
