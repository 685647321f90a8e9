import type { GcPhase, ManagedEvent } from "@memsim/core";

/**
 * Plain sentences for the Python runtime's events (reference counting and each step of
 * the cycle collector). They restate what the event records; nothing is recomputed.
 */

const PHASES: Readonly<Record<GcPhase, string>> = {
  update_refs: "update_refs: copy each object's reference count into its gc_refs",
  subtract_refs:
    "subtract_refs: for every reference between objects of the generation, take one off the target's gc_refs",
  move_unreachable:
    "move_unreachable: objects left with gc_refs 0 are tentatively unreachable, unless something reachable refers to them",
  legacy_finalizers: "legacy_finalizers: set aside garbage with old-style finalizers (uncollectable)",
  handle_weakrefs: "handle_weakrefs: clear weak references to the garbage and queue their callbacks",
  finalize_garbage: "finalize_garbage: run __del__ on the garbage, once per object",
  resurrection_check: "resurrection_check: keep whatever a finalizer made reachable again",
  delete_garbage: "delete_garbage: clear the remaining garbage so reference counting frees it",
};

/** The sentence for a collector phase. */
export function phaseSentence(phase: GcPhase): string {
  return PHASES[phase];
}

/** One sentence for `e`. */
export function narrateManaged(e: ManagedEvent): string {
  const id = (n: number) => `#${n}`;
  switch (e.kind) {
    case "py-alloc":
      return `A new ${e.type} object ${id(e.id)} was allocated: ${e.size} bytes at 0x${e.addr.toString(16)}.`;
    case "incref":
      return `The reference count of ${id(e.id)} rose to ${e.refcnt}.`;
    case "decref":
      return `The reference count of ${id(e.id)} fell to ${e.refcnt}${e.refcnt === 0 ? ": nothing refers to it any more" : ""}.`;
    case "dealloc":
      return `${id(e.id)} (${e.type}) is deallocated ${e.path === "gc" ? "by the cycle collector" : "because its reference count reached zero"}.`;
    case "py-free":
      return `The memory of ${id(e.id)} went back ${e.freelist ? "to its type's free list" : "to the allocator"}.`;
    case "finalize":
      return `The __del__ of ${id(e.id)} ran (${e.path === "gc" ? "called by the cycle collector" : "its reference count reached zero"}).`;
    case "resurrect":
      return `${id(e.id)} was resurrected: its __del__ stored a new reference to it.`;
    case "weakref-callback":
      return `The callback of weak reference ${id(e.weakref)} to ${id(e.referent)} ran.`;
    case "trashcan-defer":
      return `Deallocating ${id(e.id)} is deferred (the trashcan bounds deep deallocation chains).`;
    case "unraisable":
      return `An exception in ${e.where} was ignored: ${e.error}.`;
    case "gc-start":
      return `The cycle collector starts on generation ${e.generation}: ${e.objects} tracked objects.`;
    case "gc-phase":
      return `Phase ${phaseSentence(e.phase)}.`;
    case "gc-update-refs":
      return `gc_refs of ${id(e.id)} = ${e.gcRefs}, its reference count.`;
    case "gc-subtract":
      return `${id(e.from)} refers to ${id(e.to)}: gc_refs of ${id(e.to)} drops to ${e.gcRefs}.`;
    case "gc-reachable":
      return `${id(e.id)} still has references from outside the generation: reachable.`;
    case "gc-tentatively-unreachable":
      return `${id(e.id)} has gc_refs 0: tentatively unreachable.`;
    case "gc-move-back":
      return `${id(e.id)} is reachable after all: reachable ${id(e.by)} refers to it.`;
    case "gc-untrack":
      return `${id(e.id)} (${e.type}) can hold no cycle any more and is untracked.`;
    case "gc-promote":
      return `${e.objects} surviving objects move to generation ${e.to}.`;
    case "gc-legacy-finalizer":
      return `${id(e.id)} has a legacy finalizer: it is uncollectable and goes to gc.garbage.`;
    case "gc-weakref-cleared":
      return `Weak reference ${id(e.weakref)} to garbage ${id(e.referent)} was cleared.`;
    case "gc-finalize":
      return `The collector runs the __del__ of ${id(e.id)}.`;
    case "gc-resurrected":
      return `${id(e.id)} was made reachable again by a finalizer: it survives this collection.`;
    case "gc-clear":
      return `The collector clears the references held by ${id(e.id)} (tp_clear), breaking the cycle.`;
    case "gc-save":
      return `${id(e.id)} is saved in gc.garbage (DEBUG_SAVEALL).`;
    case "gc-stop":
      return `The collection of generation ${e.generation} ends: ${e.collected} collected, ${e.uncollectable} uncollectable.`;
  }
}
