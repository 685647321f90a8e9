/**
 * The allocator registry: adding a policy is one module plus one line here.
 */
import type { HeapAllocator, HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { BestFitHeap } from "./best-fit.js";
import { BuddyHeap } from "./buddy.js";
import { FirstFitHeap } from "./first-fit.js";
import { NextFitHeap } from "./next-fit.js";
import { SegregatedFitHeap } from "./segregated.js";
import { TlsfHeap } from "./tlsf.js";
import { WorstFitHeap } from "./worst-fit.js";

type Factory = (backing: HeapBacking, opts: HeapOptions) => HeapAllocator;

const FACTORIES: Readonly<Record<string, Factory>> = {
  "first-fit": (b, o) => new FirstFitHeap(b, o),
  "next-fit": (b, o) => new NextFitHeap(b, o),
  "best-fit": (b, o) => new BestFitHeap(b, o),
  "worst-fit": (b, o) => new WorstFitHeap(b, o),
  segregated: (b, o) => new SegregatedFitHeap(b, o),
  buddy: (b, o) => new BuddyHeap(b, o),
  tlsf: (b, o) => new TlsfHeap(b, o),
};

/** Every allocator policy name, in the order tables list them. */
export const HEAP_POLICIES: readonly string[] = Object.keys(FACTORIES);

/**
 * A new allocator of policy `name` over `backing`, or undefined for an unknown name.
 * The explicit-list policies also answer to `NAME-lifo` (LIFO insertion instead of
 * address order).
 */
export function createAllocator(
  name: string,
  backing: HeapBacking,
  opts: HeapOptions = {},
): HeapAllocator | undefined {
  const lifo = name.endsWith("-lifo");
  const base = lifo ? name.slice(0, -5) : name;
  const make = FACTORIES[base];
  if (!make || (lifo && !base.endsWith("-fit"))) return undefined;
  return make(backing, lifo ? { ...opts, order: "lifo" } : opts);
}
