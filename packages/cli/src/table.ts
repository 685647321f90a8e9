/**
 * Output shapes shared by the trace commands: an aligned text table, CSV, and helpers for
 * numbers (thousands separators, rates).
 */
import { UsageError } from "./io.js";

/** Aligns `rows` under `header`; numeric-looking cells are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+[kMG%]?$/.test(r[i] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** RFC 4180 CSV with a header line. */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

/** 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** A rate with an SI suffix: 12_345_678 → "12.3M". */
export function rate(n: number): string {
  if (!Number.isFinite(n)) return "-";
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Parses a comma-separated list of positive integers (`--frames 100,1000`). */
export function parseIntList(flag: string, value: string): number[] {
  const items = value.split(",").map((s) => s.trim());
  return items.map((s) => {
    const n = parsePositiveInt(flag, s);
    return n;
  });
}

/** A positive integer flag value; `k`/`M` suffixes (×1000, ×1,000,000) are accepted. */
export function parsePositiveInt(flag: string, s: string): number {
  const m = /^(\d+)([kKmM]?)$/.exec(s.trim());
  const n = m
    ? Number(m[1]) * (m[2] === "" ? 1 : m[2]!.toLowerCase() === "k" ? 1000 : 1_000_000)
    : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag}: expected a positive integer, found "${s}"`);
  return n;
}
