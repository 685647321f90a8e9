import { describe, expect, it } from "vitest";
import { CATEGORY_STYLE, FRAME_CATEGORIES, frameAt, frameLayout, framePosition } from "./frame-map.js";

describe("frame map layout", () => {
  it("fits 64 frames in rows of 16 and 128 in rows of 32, cells no larger than 44 px", () => {
    expect(frameLayout(64, 1000)).toMatchObject({ cols: 16, rows: 4, cell: 44 });
    const l = frameLayout(128, 1000);
    expect(l.cols).toBe(32);
    expect(l.rows).toBe(4);
    expect(l.cell).toBe(29);
    expect(l.width).toBeLessThanOrEqual(1000);
    expect(frameLayout(8, 1000).cell).toBe(44);
  });

  it("wraps many frames into more columns at the minimum cell size", () => {
    const l = frameLayout(100_000, 600);
    expect(l.cell).toBe(6);
    expect(l.cols).toBe(100);
    expect(l.rows).toBe(1000);
  });

  it("hit-tests every frame at its own position and nothing in the gaps", () => {
    const l = frameLayout(70, 500);
    for (let pfn = 0; pfn < 70; pfn++) {
      const { x, y } = framePosition(l, pfn);
      expect(frameAt(l, 70, x + 1, y + 1)).toBe(pfn);
      expect(frameAt(l, 70, x + l.cell - 1, y + l.cell - 1)).toBe(pfn);
    }
    expect(frameAt(l, 70, l.cell + 0.5, 1)).toBe(-1);
    expect(frameAt(l, 70, -1, 0)).toBe(-1);
    const past = framePosition(l, 70);
    expect(frameAt(l, 70, past.x + 1, past.y + 1)).toBe(-1);
  });

  it("gives every category a distinct colour and letter", () => {
    const fills = new Set(FRAME_CATEGORIES.map((c) => CATEGORY_STYLE[c].fill));
    const letters = new Set(FRAME_CATEGORIES.map((c) => CATEGORY_STYLE[c].letter));
    expect(fills.size).toBe(FRAME_CATEGORIES.length);
    expect(letters.size).toBe(FRAME_CATEGORIES.length);
  });
});
