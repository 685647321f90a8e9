import { describe, expect, it } from "vitest";
import { FRAME_CATEGORIES } from "../lab/frame-map.js";
import { DEFAULT_SCENARIO } from "../views/default-scenario.js";
import type { PtNode } from "../worker/protocol.js";
import { eventRow, frameOwners, machineState } from "./machine-view.js";
import { ScenarioSession } from "./scenario-session.js";

const session = () => {
  const s = ScenarioSession.load(DEFAULT_SCENARIO);
  if (!(s instanceof ScenarioSession)) throw new Error(s.message);
  return s;
};
const stepOf = (s: ScenarioSession, kind: string) => s.events.findIndex((e) => e.event.kind === kind) + 1;

function leaves(n: PtNode): number[] {
  return n.entries.flatMap((e) => (e.leaf ? [e.leaf.vpn] : e.child ? leaves(e.child) : []));
}

describe("machine view", () => {
  it("colours frames by what they hold and lists the process's pages in its page-table tree", () => {
    const s = session();
    s.seek(stepOf(s, "fork"));
    const state = machineState(s);
    const a = state.processes.find((p) => p.name === "A")!;
    expect(a.maps).toContain("r-xp");
    const names = [...state.frames.category].map((c) => FRAME_CATEGORIES[c]);
    expect(names.filter((n) => n === "page-table").length).toBeGreaterThanOrEqual(8); // 4 levels × 2 processes
    expect(names).toContain("text");
    expect(names).toContain("data");
    expect(a.tree?.level).toBe(0);
    expect(leaves(a.tree!).sort()).toEqual(a.pages.map((p) => p.vpn).sort());
    // Every page A maps is shared with B after fork: map count 2 on its frames.
    for (const p of a.pages) expect(state.frames.mapCount[p.pfn]).toBe(2);
  });

  it("shows the walk of the current access level by level, and who maps a frame", () => {
    const s = session();
    const cow = stepOf(s, "cow-copy");
    s.seek(cow);
    const state = machineState(s);
    expect(state.walk.length).toBe(4);
    expect(state.walk.map((l) => l.level)).toEqual([0, 1, 2, 3]);
    const b = state.processes.find((p) => p.name === "B")!;
    expect(state.walkPid).toBe(b.pid);
    const event = s.events[cow - 1]!.event;
    if (event.kind !== "cow-copy") throw new Error("not a cow-copy");
    expect(state.touched).toEqual([event.from, event.to]);
    const owners = frameOwners(s, event.to);
    expect(owners.mappers).toHaveLength(1);
    expect(owners.mappers[0]).toMatchObject({ name: "B", vpn: event.vpn });
  });

  it("gives predict mode the engine's own classification of each MMU fault", () => {
    const s = session();
    const mmuFaults = s.events.flatMap((e, i) => (e.event.kind === "fault" && "asid" in e.event ? [i] : []));
    const kinds = mmuFaults.map((i) => eventRow(s, i).fault?.kind);
    expect(kinds).toEqual(["major", "minor", "minor", "cow", "cow", "segv"]);
    expect(eventRow(s, mmuFaults[0]!).fault).toMatchObject({ who: "A", access: "read", va: 0x400000 });
  });
});
