import type { PolicyGrid } from "../engine/replacement-grid.js";

/** What one cell of a frame-by-time grid shows. */
export type Cell =
  | { readonly kind: "empty" }
  | { readonly kind: "hidden" }
  | { readonly kind: "resident"; readonly page: number }
  | { readonly kind: "hit"; readonly page: number }
  | { readonly kind: "inserted"; readonly page: number; readonly replaced: number | null };

/**
 * The columns a grid shows: `width` columns ending at or after the cursor, so the cursor
 * stays visible and the window moves one column at a time as the cursor walks right.
 */
export function gridWindow(total: number, cursor: number, width: number): { start: number; end: number } {
  const w = Math.max(1, Math.min(width, total));
  const start = Math.min(Math.max(0, cursor - w + 1), Math.max(0, total - w));
  return { start, end: Math.min(total, start + w) };
}

/**
 * The cell of slot `slot` at time `t` given the references `refs`. Columns after `cursor`
 * are hidden (that future has not happened yet).
 */
export function cellAt(
  grid: PolicyGrid,
  refs: ArrayLike<number>,
  t: number,
  slot: number,
  cursor: number,
): Cell {
  if (t > cursor) return { kind: "hidden" };
  const page = grid.slots[t * grid.frames + slot]!;
  if (page < 0) return { kind: "empty" };
  if (page !== refs[t]) return { kind: "resident", page };
  if (grid.hit[t] === 1) return { kind: "hit", page };
  return { kind: "inserted", page, replaced: grid.victim[t] === slot ? grid.evicted[t]! : null };
}

/** One plain sentence for what `grid`'s policy did at reference `t`. */
export function narrateReference(grid: PolicyGrid, refs: ArrayLike<number>, t: number): string {
  const page = refs[t]!;
  const name = grid.policy.toUpperCase();
  if (grid.hit[t] === 1) return `${name}: page ${page} is resident, a hit.`;
  const slot = slotOf(grid, t, page);
  if (grid.victim[t]! >= 0)
    return `${name}: page ${page} is not resident, a miss; ${name} chose frame ${grid.victim[t]} and evicted page ${grid.evicted[t]}.`;
  return `${name}: page ${page} is not resident, a miss; it goes into free frame ${slot}.`;
}

/** The slot holding `page` after reference `t`, or -1. */
export function slotOf(grid: PolicyGrid, t: number, page: number): number {
  for (let s = 0; s < grid.frames; s++) if (grid.slots[t * grid.frames + s] === page) return s;
  return -1;
}
