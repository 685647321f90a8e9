import type { AddressSpace, Machine, Mapping } from "@memsim/core";
import { PTE_VALID } from "@memsim/core";
import { spellPteBits } from "../lab/pte-bits.js";
import type { PtNode } from "../worker/protocol.js";

/** Most leaf pages the tree shows (the rest are summarized by the page list). */
export const TREE_LEAVES = 512;

interface Building {
  level: number;
  pfn: number;
  entries: Map<number, { child?: Building; leaf?: NonNullable<PtNode["entries"][number]["leaf"]> }>;
}

/**
 * The page-table tree of `space`: every table page on the path to a used leaf entry, and
 * the leaves. Paths come from the MMU's side-effect-free `peekWalk`, so the tree is the
 * tables as the hardware sees them in physical memory.
 */
export function pageTableTree(m: Machine, space: AddressSpace, mappings: readonly Mapping[]): PtNode | null {
  const root: Building = { level: 0, pfn: space.rootPfn, entries: new Map() };
  const shift = m.kernel.pageShift;
  for (const map of mappings.slice(0, TREE_LEAVES)) {
    const steps = m.hw.mmu.peekWalk(space, map.va);
    let node = root;
    for (const step of steps) {
      let entry = node.entries.get(step.index);
      if (!entry) {
        entry = {};
        node.entries.set(step.index, entry);
      }
      if (step.level === steps.length - 1 || step.level === m.hw.format.levels - 1) {
        entry.leaf = {
          vpn: Math.floor(map.va / 2 ** shift),
          pfn: map.flags & PTE_VALID ? map.pfn : -1,
          slot: map.swapSlot ?? -1,
          bits: spellPteBits(map.flags),
        };
        break;
      }
      entry.child ??= { level: step.level + 1, pfn: step.pfn, entries: new Map() };
      node = entry.child;
    }
  }
  return freeze(root);
}

function freeze(b: Building): PtNode {
  const entries = [...b.entries]
    .sort(([a], [c]) => a - c)
    .map(([index, e]) => ({
      index,
      ...(e.child ? { child: freeze(e.child) } : {}),
      ...(e.leaf ? { leaf: e.leaf } : {}),
    }));
  return { level: b.level, pfn: b.pfn, entries };
}
