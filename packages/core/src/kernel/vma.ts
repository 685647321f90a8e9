/**
 * Virtual memory areas: the kernel's description of what a process may touch.
 *
 * A VMA is a page-aligned half-open range [start, end) with permissions, a kind (what it
 * is for) and a backing (where its pages come from). Page tables say what is resident;
 * VMAs say what is *legal*. The fault handler consults them to tell a demand-paging fault
 * from a SIGSEGV (Linux: struct vm_area_struct, find_vma()).
 */

/** Permission bits, as mmap(2)'s PROT_* flags. */
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** What an area is for; decides how its pages are filled and how /proc names it. */
export type VmaKind =
  | "text"
  | "data"
  | "bss"
  | "heap"
  | "stack"
  | "mmap-anon"
  | "mmap-shared"
  | "shm"
  | "lib";

/**
 * Where the pages of an area come from:
 * - `anon`: zero-filled on first touch, private to the process (COW after fork).
 * - `file`: read from an image (program text/data, a shared library) on first touch, a
 *   major fault; `offset` is the byte offset in the file where the area starts.
 * - `shm`: the pages of a shared segment, shared by every attacher.
 */
export type VmaBacking =
  | { readonly kind: "anon" }
  | { readonly kind: "file"; readonly file: number; readonly offset: number }
  | { readonly kind: "shm"; readonly segment: number; readonly offset: number };

/** One area. Mutable: brk moves a heap's end, stack growth moves a stack's start. */
export interface Vma {
  start: number;
  end: number;
  /** PROT_* bits. */
  prot: number;
  readonly kind: VmaKind;
  /** True for MAP_SHARED-like areas: writes are seen by every sharer, fork does not COW. */
  readonly shared: boolean;
  readonly backing: VmaBacking;
  /** The path column of /proc/PID/maps: a file name, `[heap]`, `[stack]`, or empty. */
  readonly path: string;
  /** The scenario name of an mmap or shm region (an address base), if any. */
  readonly label: string | null;
}

/** `rwxp`-style permission string of /proc/PID/maps. */
export function protString(prot: number, shared: boolean): string {
  return (
    (prot & PROT_READ ? "r" : "-") +
    (prot & PROT_WRITE ? "w" : "-") +
    (prot & PROT_EXEC ? "x" : "-") +
    (shared ? "s" : "p")
  );
}

/** Parses `r`, `rw`, `rx`, `rwx`, `none`, `-` into PROT_* bits; null if it is not one. */
export function parseProt(text: string): number | null {
  if (text === "none" || text === "-" || text === "---") return PROT_NONE;
  if (!/^[rwx-]{1,3}$/.test(text)) return null;
  let prot = 0;
  const seen = new Set<string>();
  for (const ch of text) {
    if (ch === "-") continue;
    if (seen.has(ch)) return null;
    seen.add(ch);
    prot |= ch === "r" ? PROT_READ : ch === "w" ? PROT_WRITE : PROT_EXEC;
  }
  return prot;
}

/**
 * A process's areas, sorted by start and never overlapping. Lookups are binary searches;
 * changes (insert, split, remove) are rare next to accesses.
 */
export class VmaList {
  private list: Vma[] = [];

  /** All areas in address order (do not mutate the array). */
  all(): readonly Vma[] {
    return this.list;
  }

  /** The area containing `va`, or null (find_vma plus the containment check). */
  find(va: number): Vma | null {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.list[mid] as Vma;
      if (va < v.start) hi = mid - 1;
      else if (va >= v.end) lo = mid + 1;
      else return v;
    }
    return null;
  }

  /** The first area that starts at or above `va` (the one a grows-down stack expands toward). */
  nextAbove(va: number): Vma | null {
    for (const v of this.list) if (v.start >= va) return v;
    return null;
  }

  /** The last area that ends at or below `va`. */
  prevBelow(va: number): Vma | null {
    let found: Vma | null = null;
    for (const v of this.list) if (v.end <= va) found = v;
    return found;
  }

  /** True when [start, end) overlaps no area. */
  isFree(start: number, end: number): boolean {
    return this.list.every((v) => end <= v.start || start >= v.end);
  }

  /** Adds an area. Precondition: it overlaps none (checked by the caller with isFree). */
  insert(v: Vma): void {
    let i = 0;
    while (i < this.list.length && (this.list[i] as Vma).start < v.start) i++;
    this.list.splice(i, 0, v);
  }

  /** Removes exactly this area object. */
  remove(v: Vma): void {
    const i = this.list.indexOf(v);
    if (i >= 0) this.list.splice(i, 1);
  }

  /**
   * Splits areas so that `start` and `end` fall on area boundaries (the first step of
   * munmap and mprotect on part of an area). Returns the areas inside [start, end).
   */
  carve(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    const next: Vma[] = [];
    for (const v of this.list) {
      if (v.end <= start || v.start >= end) {
        next.push(v);
        continue;
      }
      if (v.start < start) next.push(slice(v, v.start, start));
      const inner = slice(v, Math.max(v.start, start), Math.min(v.end, end));
      next.push(inner);
      out.push(inner);
      if (v.end > end) next.push(slice(v, end, v.end));
    }
    this.list = next;
    return out;
  }

  /** A deep copy (for fork and snapshots). */
  clone(): VmaList {
    const c = new VmaList();
    c.list = this.list.map((v) => ({ ...v }));
    return c;
  }
}

/** A copy of `v` covering [start, end); file and shm byte offsets follow the start. */
function slice(v: Vma, start: number, end: number): Vma {
  const backing: VmaBacking =
    v.backing.kind === "anon" ? v.backing : { ...v.backing, offset: v.backing.offset + (start - v.start) };
  return { ...v, start, end, backing };
}

/** The offset in pages of `va` inside the backing object of `v` (file or segment page index). */
export function vmaPageIndex(v: Vma, va: number, pageShift: number): number {
  const offset = v.backing.kind === "anon" ? 0 : v.backing.offset;
  return Math.floor((offset + va - v.start) / 2 ** pageShift);
}
