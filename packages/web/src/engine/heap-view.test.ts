import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { machineState } from "./machine-view.js";
import { ScenarioSession } from "./scenario-session.js";

const example = (name: string) =>
  readFileSync(new URL(`../../../../examples/${name}`, import.meta.url), "utf8");

function load(source: string): ScenarioSession {
  const s = ScenarioSession.load(source);
  if (!(s instanceof ScenarioSession)) throw new Error(s.message);
  return s;
}

describe("heap view", () => {
  it("shows each block with the pointer that holds it, and the list nodes' links", () => {
    const source = example("memcheck-indirect.msim");
    const s = load(source);
    s.seek(s.length);
    const state = machineState(s, source);
    const heap = state.heaps[0]!;
    expect(heap.process).toBe("A");
    const used = heap.blocks.filter((b) => !b.free && b.user);
    expect(used.map((b) => b.user!.size)).toEqual([16, 16, 16]);
    // After `ret` the locals are out of scope; the output holds Valgrind's leak report.
    expect(state.output.map((o) => o.text).join("\n")).toContain("definitely lost");
  });

  it("pins a use-after-free read to the freed block", () => {
    const source = example("memcheck-use-after-free.msim");
    const s = load(source);
    s.seek(s.length);
    const heap = machineState(s, source).heaps[0]!;
    const freed = heap.blocks.find((b) => b.user?.freed);
    expect(freed).toBeDefined();
    expect(freed!.pointedBy).toEqual(["p"]);
    expect(freed!.errors.join(" ")).toContain("Invalid read of size 4");
    expect(heap.vars.find((v) => v.name === "p")?.value).toBe(freed!.user!.addr);
  });

  it("reads the heap without changing what the next seek shows", () => {
    const source = example("memcheck-use-after-free.msim");
    const s = load(source);
    const at = Math.floor(s.length / 2);
    s.seek(at);
    const first = machineState(s, source);
    s.seek(at);
    const again = machineState(s, source);
    expect(again.tlb).toEqual(first.tlb);
    expect(again.frames).toEqual(first.frames);
    expect(again.heaps).toEqual(first.heaps);
  });
});
