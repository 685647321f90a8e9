import {
  PTE_ACCESSED,
  PTE_COW,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_GLOBAL,
  PTE_READ,
  PTE_SWAPPED,
  PTE_USER,
  PTE_VALID,
  PTE_WRITE,
} from "@memsim/core";

const WORDS: readonly (readonly [number, string])[] = [
  [PTE_VALID, "present"],
  [PTE_READ, "read"],
  [PTE_WRITE, "write"],
  [PTE_EXEC, "exec"],
  [PTE_USER, "user"],
  [PTE_GLOBAL, "global"],
  [PTE_ACCESSED, "accessed"],
  [PTE_DIRTY, "dirty"],
  [PTE_COW, "copy-on-write"],
  [PTE_SWAPPED, "swapped-out"],
];

/** The engine's generic PTE flags spelled out as words, in a fixed order. */
export function spellPteBits(flags: number): string[] {
  return WORDS.filter(([bit]) => (flags & bit) !== 0).map(([, word]) => word);
}
