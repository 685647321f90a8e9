import { describe, expect, it } from "vitest";
import { narrateManaged } from "./narrate-gc.js";

describe("Python runtime narration", () => {
  it("says what each event records", () => {
    expect(narrateManaged({ kind: "decref", id: 301 as never, refcnt: 0 })).toBe(
      "The reference count of #301 fell to 0: nothing refers to it any more.",
    );
    expect(narrateManaged({ kind: "gc-subtract", from: 301 as never, to: 302 as never, gcRefs: 0 })).toBe(
      "#301 refers to #302: gc_refs of #302 drops to 0.",
    );
    expect(narrateManaged({ kind: "gc-phase", phase: "subtract_refs" })).toMatch(/^Phase subtract_refs: /);
    expect(narrateManaged({ kind: "dealloc", id: 5 as never, type: "Node", path: "gc" })).toBe(
      "#5 (Node) is deallocated by the cycle collector.",
    );
  });
});
