import { describe, expect, it } from "vitest";
import { deepClone } from "./clone.js";

class Box {
  constructor(
    public n: number,
    public arr: Int32Array,
  ) {}
  sum(): number {
    return this.n + this.arr.reduce((a, b) => a + b, 0);
  }
}

describe("deepClone", () => {
  it("copies class instances, typed arrays, maps and cycles", () => {
    const b = new Box(1, Int32Array.from([1, 2]));
    const g = { b, m: new Map([["k", b]]), self: null as unknown };
    g.self = g;
    const c = deepClone(g);
    expect(c.b).not.toBe(b);
    expect(c.b.sum()).toBe(4);
    expect(c.m.get("k")).toBe(c.b);
    expect(c.self).toBe(c);
    b.arr[0] = 10;
    expect(c.b.arr[0]).toBe(1);
  });

  it("keeps two views of one buffer aliased", () => {
    const f = new Float64Array(2);
    const i = new Int32Array(f.buffer);
    const c = deepClone({ f, i });
    c.i[0] = 7;
    expect(new Int32Array(c.f.buffer)[0]).toBe(7);
    expect(i[0]).toBe(0);
  });

  it("shares kept objects", () => {
    const fmt = { name: "x" };
    const c = deepClone({ fmt }, new Set([fmt]));
    expect(c.fmt).toBe(fmt);
  });
});
