import { createPolicy } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { recordGrid } from "../engine/replacement-grid.js";
import { cellAt, gridWindow, narrateReference } from "./grid.js";

const BELADY = Float64Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);
const fifo3 = recordGrid("fifo", (n, capacity) => createPolicy(n, { capacity }), BELADY, 3);

describe("grid layout", () => {
  it("keeps the cursor inside a window of fixed width", () => {
    expect(gridWindow(100, 0, 20)).toEqual({ start: 0, end: 20 });
    expect(gridWindow(100, 19, 20)).toEqual({ start: 0, end: 20 });
    expect(gridWindow(100, 20, 20)).toEqual({ start: 1, end: 21 });
    expect(gridWindow(100, 99, 20)).toEqual({ start: 80, end: 100 });
    expect(gridWindow(5, 3, 20)).toEqual({ start: 0, end: 5 });
    for (let c = 0; c < 50; c++) {
      const { start, end } = gridWindow(50, c, 7);
      expect(c).toBeGreaterThanOrEqual(start);
      expect(c).toBeLessThan(end);
      expect(end - start).toBe(7);
    }
  });

  it("classifies cells: inserted with what it replaced, hit, resident, empty, hidden", () => {
    expect(cellAt(fifo3, BELADY, 0, 0, 11)).toEqual({ kind: "inserted", page: 1, replaced: null });
    expect(cellAt(fifo3, BELADY, 0, 1, 11)).toEqual({ kind: "empty" });
    expect(cellAt(fifo3, BELADY, 3, 0, 11)).toEqual({ kind: "inserted", page: 4, replaced: 1 });
    expect(cellAt(fifo3, BELADY, 3, 1, 11)).toEqual({ kind: "resident", page: 2 });
    // t=7 references page 1, resident in slot 1 since t=4
    expect(cellAt(fifo3, BELADY, 7, 1, 11)).toEqual({ kind: "hit", page: 1 });
    expect(cellAt(fifo3, BELADY, 8, 0, 7)).toEqual({ kind: "hidden" });
  });

  it("narrates each reference in a sentence", () => {
    expect(narrateReference(fifo3, BELADY, 0)).toBe(
      "FIFO: page 1 is not resident, a miss; it goes into free frame 0.",
    );
    expect(narrateReference(fifo3, BELADY, 3)).toBe(
      "FIFO: page 4 is not resident, a miss; FIFO chose frame 0 and evicted page 1.",
    );
    expect(narrateReference(fifo3, BELADY, 7)).toBe("FIFO: page 1 is resident, a hit.");
  });
});
