import { describe, expect, it } from "vitest";
import { lineChartSvg, ticks } from "./svg.js";

describe("SVG export", () => {
  it("draws one polyline per series with the points scaled into the plot", () => {
    const svg = lineChartSvg(
      "Misses",
      "frames",
      "misses",
      [1, 2, 3],
      [
        { name: "fifo", y: [10, 9, 9] },
        { name: "lru <x>", y: [10, 8, 0] },
      ],
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain("lru &lt;x&gt;");
    // x=1 at the left edge (56), y=10 (the max) at the top (32); y=0 on the axis (316)
    expect(svg).toContain('points="56.0,32.0 340.0,60.4 624.0,60.4"');
    expect(svg).toContain("624.0,316.0");
  });

  it("picks round ticks", () => {
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(1, 8)).toEqual([2, 4, 6, 8]);
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
