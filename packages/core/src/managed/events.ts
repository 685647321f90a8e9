/**
 * Events of the Python runtime's memory: allocation, reference counting, deallocation, and
 * each phase of the cycle collector (so a viewer can show gc_refs being copied, subtracted
 * and propagated). Emitted only when a sink is attached.
 */
import type { ObjId } from "./space.js";

/** Why an object died or was finalized: its refcount hit zero, or the cycle collector found it. */
export type DeathPath = "refcount" | "gc";

/** Allocation, reference counting and deallocation events. */
export type RefcountEvent =
  | {
      readonly kind: "py-alloc";
      readonly id: ObjId;
      readonly type: string;
      readonly size: number;
      readonly addr: number;
    }
  | { readonly kind: "incref"; readonly id: ObjId; readonly refcnt: number }
  | { readonly kind: "decref"; readonly id: ObjId; readonly refcnt: number }
  | { readonly kind: "dealloc"; readonly id: ObjId; readonly type: string; readonly path: DeathPath }
  | { readonly kind: "py-free"; readonly id: ObjId; readonly addr: number; readonly freelist: boolean }
  | { readonly kind: "finalize"; readonly id: ObjId; readonly path: DeathPath }
  | { readonly kind: "resurrect"; readonly id: ObjId }
  | {
      readonly kind: "weakref-callback";
      readonly weakref: ObjId;
      readonly referent: ObjId;
      readonly path: DeathPath;
    }
  | { readonly kind: "trashcan-defer"; readonly id: ObjId }
  | { readonly kind: "unraisable"; readonly where: string; readonly error: string };

/** One step of `gc_collect_main`, in CPython's order. */
/** The phases of one collection, announced by `gc-phase` before each starts. */
export type GcPhase =
  | "update_refs"
  | "subtract_refs"
  | "move_unreachable"
  | "legacy_finalizers"
  | "handle_weakrefs"
  | "finalize_garbage"
  | "resurrection_check"
  | "delete_garbage";

export type GcEvent =
  | { readonly kind: "gc-start"; readonly generation: number; readonly objects: number }
  | { readonly kind: "gc-phase"; readonly phase: GcPhase }
  | { readonly kind: "gc-update-refs"; readonly id: ObjId; readonly gcRefs: number }
  | { readonly kind: "gc-subtract"; readonly from: ObjId; readonly to: ObjId; readonly gcRefs: number }
  | { readonly kind: "gc-reachable"; readonly id: ObjId }
  | { readonly kind: "gc-tentatively-unreachable"; readonly id: ObjId }
  | { readonly kind: "gc-move-back"; readonly id: ObjId; readonly by: ObjId }
  | { readonly kind: "gc-untrack"; readonly id: ObjId; readonly type: string }
  | { readonly kind: "gc-promote"; readonly objects: number; readonly to: number }
  | { readonly kind: "gc-legacy-finalizer"; readonly id: ObjId }
  | { readonly kind: "gc-weakref-cleared"; readonly weakref: ObjId; readonly referent: ObjId }
  | { readonly kind: "gc-finalize"; readonly id: ObjId }
  | { readonly kind: "gc-resurrected"; readonly id: ObjId }
  | { readonly kind: "gc-clear"; readonly id: ObjId }
  | { readonly kind: "gc-save"; readonly id: ObjId }
  | {
      readonly kind: "gc-stop";
      readonly generation: number;
      readonly collected: number;
      readonly uncollectable: number;
      readonly work: number;
    };

/** Every event of the Python runtime's memory. */
export type ManagedEvent = RefcountEvent | GcEvent;

/** One line of text for an event: its kind, then `key=value` pairs (ids as `#N`). */
export function formatManagedEvent(e: ManagedEvent): string {
  const parts: string[] = [e.kind];
  for (const [k, v] of Object.entries(e)) {
    if (k === "kind") continue;
    const isId =
      k === "id" ||
      k === "from" ||
      (k === "to" && e.kind !== "gc-promote") ||
      k === "by" ||
      k === "weakref" ||
      k === "referent";
    parts.push(
      `${k}=${isId && typeof v === "number" ? `#${v}` : k === "addr" ? `0x${Number(v).toString(16)}` : String(v)}`,
    );
  }
  return parts.join(" ");
}
