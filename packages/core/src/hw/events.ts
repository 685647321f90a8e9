/**
 * Hardware events: what the TLB and the MMU did, one record each. Emitted only while a
 * sink is attached (`Hardware.setSink`), so the fast path allocates nothing otherwise.
 */
import type { Asid, Pfn, PhysAddr, VirtAddr, Vpn } from "../base/units.js";

/** An access kind. */
export type Access = "read" | "write" | "exec";
/** The privilege of an access: user code or the kernel. */
export type Mode = "user" | "kernel";
/** The right a protection fault found missing: a page right, or user access to a kernel page. */
export type Right = "read" | "write" | "exec" | "user";
/** Which TLB entries a flush removed. */
export type FlushScope = "all" | "non-global" | "asid" | "page";

/**
 * Why a translation failed.
 * - not-present: the entry at `level` (0 = root) is not valid; `pteAddr` is the leaf entry's
 *   address when the walk reached the last level (it may hold a swap entry), else null.
 * - protection: the page is present but lacks `right`.
 * - non-canonical: an address outside the sign-extended range of a canonical format.
 * - out-of-range: an address outside [0, 2^vaBits) of a non-canonical format.
 */
export type Fault =
  | { readonly kind: "not-present"; readonly level: number; readonly pteAddr: PhysAddr | null }
  | { readonly kind: "protection"; readonly right: Right; readonly pteAddr: PhysAddr }
  | { readonly kind: "non-canonical" }
  | { readonly kind: "out-of-range" };

/** The kinds of `Fault`. */
export type FaultKind = Fault["kind"];

export type HwEvent =
  | {
      readonly kind: "tlb-hit";
      readonly asid: Asid;
      readonly vpn: Vpn;
      readonly pfn: Pfn;
      readonly slot: number;
    }
  | { readonly kind: "tlb-miss"; readonly asid: Asid; readonly vpn: Vpn }
  | {
      readonly kind: "tlb-fill";
      readonly asid: Asid;
      readonly vpn: Vpn;
      readonly pfn: Pfn;
      readonly flags: number;
      readonly slot: number;
      readonly global: boolean;
    }
  | {
      readonly kind: "tlb-evict";
      readonly asid: Asid;
      readonly vpn: Vpn;
      readonly pfn: Pfn;
      readonly slot: number;
      readonly global: boolean;
    }
  | {
      readonly kind: "tlb-flush";
      readonly scope: FlushScope;
      readonly asid: Asid | null;
      readonly vpn: Vpn | null;
      /** Entries removed. */
      readonly entries: number;
    }
  | {
      readonly kind: "walk";
      readonly asid: Asid;
      readonly va: VirtAddr;
      readonly level: number;
      readonly index: number;
      readonly entryAddr: PhysAddr;
      /** The native entry as zero-padded hex. */
      readonly entry: string;
      readonly valid: boolean;
      /** The pfn field (next table, or the page's frame at the last level). */
      readonly pfn: Pfn;
    }
  | {
      readonly kind: "fault";
      readonly asid: Asid;
      readonly va: VirtAddr;
      readonly access: Access;
      readonly mode: Mode;
      readonly fault: Fault;
    };

/** The kinds of `HwEvent`. */
export type HwEventKind = HwEvent["kind"];
