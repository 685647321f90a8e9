/**
 * A miss-ratio curve as a standalone SVG line chart (frames on x, miss ratio 0..1 on y),
 * for `memsim mrc --svg FILE`. No dependencies: a handful of elements, readable by hand.
 */
import type { CurvePoint } from "@memsim/core";

const W = 640;
const H = 400;
const M = { left: 60, right: 20, top: 30, bottom: 50 };

const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** The SVG document for `points` (ascending frames) of `policy` over `trace`. */
export function curveSvg(policy: string, trace: string, points: readonly CurvePoint[]): string {
  const maxX = Math.max(1, ...points.map((p) => p.frames));
  const x = (f: number) => M.left + ((W - M.left - M.right) * f) / maxX;
  const y = (r: number) => H - M.bottom - (H - M.top - M.bottom) * r;
  const path = points.map(
    (p, i) => `${i === 0 ? "M" : "L"}${x(p.frames).toFixed(1)},${y(p.missRatio).toFixed(1)}`,
  );
  const ticksY = [0, 0.25, 0.5, 0.75, 1].map(
    (r) =>
      `<line x1="${M.left - 4}" y1="${y(r)}" x2="${W - M.right}" y2="${y(r)}" stroke="#ddd"/>` +
      `<text x="${M.left - 8}" y="${y(r) + 4}" text-anchor="end">${r.toFixed(2)}</text>`,
  );
  const ticksX = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = Math.round(maxX * f);
    return `<text x="${x(v)}" y="${H - M.bottom + 18}" text-anchor="middle">${v}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<title>${esc(`${policy} miss-ratio curve: ${trace}`)}</title>
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(`${policy} miss-ratio curve — ${trace}`)}</text>
${ticksY.join("\n")}
${ticksX.join("\n")}
<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">frames</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">miss ratio</text>
<path d="${path.join(" ")}" fill="none" stroke="#0072b2" stroke-width="2"/>
${points.map((p) => `<circle cx="${x(p.frames).toFixed(1)}" cy="${y(p.missRatio).toFixed(1)}" r="2.5" fill="#0072b2"/>`).join("\n")}
</svg>
`;
}
