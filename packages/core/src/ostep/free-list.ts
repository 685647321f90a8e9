/**
 * The free-list allocator of OSTEP's `malloc.py`: BEST, WORST or FIRST fit over a list of
 * free chunks kept in one of five orders, splitting the chunk found and optionally
 * coalescing on free. Kept exactly as the original behaves, including its quirks (BEST
 * ignores chunks larger than the heap's size; coalescing merges neighbours in list order,
 * so it only finds adjacent chunks when the list is in address order).
 */
export type FitPolicy = "BEST" | "WORST" | "FIRST";
export type FreeListOrder = "ADDRSORT" | "SIZESORT+" | "SIZESORT-" | "INSERT-FRONT" | "INSERT-BACK";
/** The fit policies, by name. */
export const FIT_POLICIES: readonly string[] = ["FIRST", "BEST", "WORST"];
/** The free-list orders, by name. */
export const LIST_ORDERS: readonly string[] = [
  "ADDRSORT",
  "SIZESORT+",
  "SIZESORT-",
  "INSERT-FRONT",
  "INSERT-BACK",
];

/** A free chunk: start address and size in bytes. */
export interface FreeChunk {
  readonly addr: number;
  readonly size: number;
}

/** The outcome of one allocation: the chunk address (null when nothing fits) and list elements searched. */
export interface AllocResult {
  readonly addr: number | null;
  readonly searched: number;
  /**
   * True when the chunk found starts where a live allocation starts (possible only with
   * zero or negative sizes); the original stops on an assertion there, so no chunk is given.
   */
  readonly overlap: boolean;
}

/** Free-list allocator configuration. `align` is null for no alignment. */
export interface FreeListConfig {
  readonly size: number;
  readonly start: number;
  readonly headerSize: number;
  readonly policy: FitPolicy;
  readonly order: FreeListOrder;
  readonly coalesce: boolean;
  readonly align: number | null;
}

/** Python's `a % b` (the result takes the sign of b). */
const pyMod = (a: number, b: number): number => ((a % b) + b) % b;

/**
 * The free list allocator. `malloc` searches the whole list (FIRST stops at the first fit)
 * and splits the chunk found; `free` reinserts per the list order and, with coalescing,
 * merges neighbours that are adjacent in list order (one pass, as the original does).
 */
export class FreeListHeap {
  private list: FreeChunk[];
  private readonly sizes = new Map<number, number>();

  constructor(private readonly cfg: FreeListConfig) {
    this.list = [{ addr: cfg.start, size: cfg.size }];
  }

  get freeList(): readonly FreeChunk[] {
    return this.list;
  }

  /** Allocates `request` bytes (plus alignment padding and header); see `AllocResult.overlap`. */
  malloc(request: number): AllocResult {
    let size = request;
    if (this.cfg.align !== null) {
      const left = pyMod(size, this.cfg.align);
      size += left !== 0 ? this.cfg.align - left : 0;
    }
    size += this.cfg.headerSize;
    const { index, searched } = this.search(size);
    if (index === -1) return { addr: null, searched, overlap: false };
    const chunk = this.list[index]!;
    if (this.sizes.has(chunk.addr)) return { addr: null, searched, overlap: true };
    if (chunk.size > size) this.list[index] = { addr: chunk.addr + size, size: chunk.size - size };
    else this.list.splice(index, 1);
    this.sizes.set(chunk.addr, size);
    return { addr: chunk.addr, searched, overlap: false };
  }

  private search(size: number): { index: number; searched: number } {
    const policy = this.cfg.policy;
    let bestIndex = -1;
    let bestSize = policy === "BEST" ? this.cfg.size + 1 : -1;
    let searched = 0;
    for (let i = 0; i < this.list.length; i++) {
      const chunk = this.list[i]!;
      searched++;
      const better =
        policy === "FIRST" || (policy === "BEST" ? chunk.size < bestSize : chunk.size > bestSize);
      if (chunk.size >= size && better) {
        bestIndex = i;
        bestSize = chunk.size;
        if (policy === "FIRST") break;
      }
    }
    return { index: bestIndex, searched };
  }

  /** Frees the chunk at `addr`: 0, or -1 when `addr` is not an allocated chunk. */
  free(addr: number): 0 | -1 {
    const size = this.sizes.get(addr);
    if (size === undefined) return -1;
    this.insert({ addr, size });
    if (this.cfg.coalesce) this.list = coalesce(this.list);
    this.sizes.delete(addr);
    return 0;
  }

  private insert(chunk: FreeChunk): void {
    switch (this.cfg.order) {
      case "INSERT-BACK":
        this.list.push(chunk);
        break;
      case "INSERT-FRONT":
        this.list.unshift(chunk);
        break;
      case "ADDRSORT":
        this.list = stableSort([...this.list, chunk], (c) => c.addr, false);
        break;
      case "SIZESORT+":
        this.list = stableSort([...this.list, chunk], (c) => c.size, false);
        break;
      case "SIZESORT-":
        this.list = stableSort([...this.list, chunk], (c) => c.size, true);
        break;
    }
  }
}

/** Python's `sorted(key=…, reverse=…)`: stable, and reverse keeps equal keys in order. */
function stableSort(list: FreeChunk[], key: (c: FreeChunk) => number, reverse: boolean): FreeChunk[] {
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (reverse ? key(b.c) - key(a.c) : key(a.c) - key(b.c)) || a.i - b.i)
    .map((e) => e.c);
}

/** Merges each chunk into the one before it in list order when they are adjacent in memory. */
function coalesce(list: readonly FreeChunk[]): FreeChunk[] {
  const merged: FreeChunk[] = [];
  let cur = list[0]!;
  for (const next of list.slice(1)) {
    if (next.addr === cur.addr + cur.size) cur = { addr: cur.addr, size: cur.size + next.size };
    else {
      merged.push(cur);
      cur = next;
    }
  }
  merged.push(cur);
  return merged;
}
