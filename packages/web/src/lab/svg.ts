import { seriesColour } from "./palette.js";

/** One line of a chart: a name and y values over shared x values. */
export interface Series {
  readonly name: string;
  readonly y: readonly number[];
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A standalone SVG line chart (axes, ticks, legend) of `series` over `x`, for export.
 * The y axis starts at 0; `width`×`height` in pixels.
 */
export function lineChartSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  x: readonly number[],
  series: readonly Series[],
  width = 640,
  height = 360,
): string {
  const m = { left: 56, right: 16, top: 32, bottom: 44 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const xMin = Math.min(...x);
  const xMax = Math.max(...x, xMin + 1);
  const yMax = Math.max(1, ...series.flatMap((s) => s.y));
  const px = (v: number) => (m.left + ((v - xMin) / (xMax - xMin)) * w).toFixed(1);
  const py = (v: number) => (m.top + h - (v / yMax) * h).toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="20" font-size="14">${esc(title)}</text>`,
    `<line x1="${m.left}" y1="${m.top + h}" x2="${m.left + w}" y2="${m.top + h}" stroke="#000"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + h}" stroke="#000"/>`,
    `<text x="${m.left + w / 2}" y="${height - 8}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(14 ${m.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  ];
  for (const v of ticks(xMin, xMax)) {
    parts.push(`<text x="${px(v)}" y="${m.top + h + 16}" text-anchor="middle">${v}</text>`);
  }
  for (const v of ticks(0, yMax)) {
    parts.push(
      `<text x="${m.left - 6}" y="${py(v)}" text-anchor="end" dominant-baseline="middle">${v}</text>`,
    );
  }
  series.forEach((s, i) => {
    const points = x.map((xv, j) => `${px(xv)},${py(s.y[j] ?? 0)}`).join(" ");
    const colour = seriesColour(i);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`);
    parts.push(
      `<text x="${m.left + w - 4}" y="${m.top + 14 + i * 16}" text-anchor="end" fill="${colour}">${esc(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** About five round tick values from `lo` to `hi`. */
export function ticks(lo: number, hi: number): number[] {
  const span = Math.max(1e-9, hi - lo);
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
