import { describe, expect, it } from "vitest";
import { PygcSession } from "./pygc-session.js";

const CYCLE = `import gc
gc.disable()
class Node
a = Node()
b = Node()
a.other = b
b.other = a
del a
del b
print(gc.collect())
`;

function load(source: string): PygcSession {
  const s = PygcSession.load(source);
  if (!(s instanceof PygcSession)) throw new Error(s.message);
  return s;
}

describe("pygc session", () => {
  it("records the run and what it printed (CPython 3.11 collects 2 here)", () => {
    const s = load(CYCLE);
    expect(s.prints.map((p) => p.text)).toEqual(["2"]);
    expect(s.events.some((e) => e.kind === "gc-subtract")).toBe(true);
  });

  it("shows the cycle with its refcounts before the dels, then the collector's verdicts", () => {
    const s = load(CYCLE);
    const gcStart = s.find(0, 1, ["gc-start"]);
    // Just before the collection the names a and b are gone (del), the cycle is not.
    const named = s.state(gcStart - 1);
    expect(named.names.map((n) => n.name).sort()).toEqual(["Node"]);
    // The last step at which `a` is still a name: both nodes, each referred to twice.
    let last = 0;
    for (let n = 0; n < gcStart; n++) if (s.state(n).names.some((v) => v.name === "a")) last = n;
    const early = s.state(last);
    const a = early.names.find((n) => n.name === "a")!;
    const b = early.names.find((n) => n.name === "b")!;
    const objA = early.objects.find((o) => o.id === a.id)!;
    expect(objA.type).toBe("Node");
    expect(objA.refs).toContain(b.id);
    expect(objA.refcnt).toBe(2);
    // At the end of move_unreachable both nodes are tentatively unreachable.
    const unreachable = s.find(0, 1, ["gc-tentatively-unreachable"]);
    const during = s.state(s.find(unreachable, 1, ["gc-tentatively-unreachable"]));
    expect(during.phase).toBe("move_unreachable");
    expect(during.status.filter(([, v]) => v === "unreachable")).toHaveLength(2);
    expect(during.objects.filter((o) => o.type === "Node")).toHaveLength(2);
    const end = s.state(s.length);
    expect(end.objects.filter((o) => o.type === "Node")).toHaveLength(0);
    expect(end.output).toEqual(["2"]);
  });

  it("reports a syntax error with its place", () => {
    expect(PygcSession.load("a = (\n")).toMatchObject({ line: 1 });
  });
});
