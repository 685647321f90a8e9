/**
 * `npm run bench [-- NAME...]`: runs every `bench/*.bench.ts` suite (or those named),
 * prints a table and writes `bench/results/NAME.json`.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import type { BenchRow, BenchSuite } from "./lib.js";

const here = new URL("./", import.meta.url);
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(2) + "M";
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

mkdirSync(new URL("results/", here), { recursive: true });
const lines: string[][] = [["suite", "case", "value", "unit", "target", "peer", "ratio"]];
for (const file of files) {
  const mod = (await import(new URL(file, here).href)) as { suite: BenchSuite };
  const suite = mod.suite;
  if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
  process.stderr.write(`bench ${suite.name}: ${suite.description}\n`);
  const rows: BenchRow[] = await suite.run();
  writeFileSync(
    new URL(`results/${suite.name}.json`, here),
    JSON.stringify({ suite: suite.name, node: process.version, rows }, null, 2) + "\n",
  );
  for (const r of rows) {
    const ratio = r.peer ? r.value / r.peer.value : undefined;
    lines.push([
      suite.name,
      r.case,
      fmt(r.value),
      r.unit,
      r.target === undefined ? "" : fmt(r.target),
      r.peer ? `${r.peer.name} ${fmt(r.peer.value)}` : "",
      ratio === undefined ? "" : ratio.toFixed(2) + "x",
    ]);
  }
}
const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
for (const l of lines) console.log(l.map((c, i) => c.padEnd(widths[i]!)).join("  "));
