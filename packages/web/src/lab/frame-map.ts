import { OKABE_ITO } from "./palette.js";

/**
 * Layout and colours of the physical-memory map: one square per frame, row-major by pfn,
 * coloured by what the frame holds. Each category also has a letter drawn in the cell, so
 * colour is never the only cue.
 */
export const FRAME_CATEGORIES = [
  "free",
  "page-table",
  "text",
  "data",
  "heap",
  "stack",
  "anon",
  "shared",
  "page-cache",
  "kernel",
] as const;
export type FrameCategory = (typeof FRAME_CATEGORIES)[number];

/** Fill colour, text colour and letter of each category. */
export const CATEGORY_STYLE: Readonly<Record<FrameCategory, { fill: string; ink: string; letter: string }>> =
  {
    free: { fill: "#eeeeee", ink: "#777777", letter: "" },
    "page-table": { fill: OKABE_ITO.black, ink: "#ffffff", letter: "P" },
    text: { fill: OKABE_ITO.blue, ink: "#ffffff", letter: "T" },
    data: { fill: OKABE_ITO.skyBlue, ink: "#000000", letter: "D" },
    heap: { fill: OKABE_ITO.bluishGreen, ink: "#ffffff", letter: "H" },
    stack: { fill: OKABE_ITO.reddishPurple, ink: "#000000", letter: "S" },
    anon: { fill: OKABE_ITO.yellow, ink: "#000000", letter: "M" },
    shared: { fill: OKABE_ITO.orange, ink: "#000000", letter: "L" },
    "page-cache": { fill: OKABE_ITO.vermillion, ink: "#ffffff", letter: "C" },
    kernel: { fill: "#8c8c8c", ink: "#ffffff", letter: "K" },
  };

/** Where the frames go on a canvas of a given width. */
export interface FrameLayout {
  readonly cols: number;
  readonly rows: number;
  readonly cell: number;
  readonly gap: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Square cells as large as fit `count` frames in `width` pixels (between 6 and 44 px),
 * 16 per row up to 64 frames, else at most `maxCols` per row; beyond `maxCols`² frames,
 * 6 px cells across the whole width.
 */
export function frameLayout(count: number, width: number, maxCols = 32): FrameLayout {
  const gap = count > 1024 ? 0 : 2;
  let cols = Math.max(1, Math.min(count, count <= 64 ? 16 : maxCols));
  let cell = Math.floor((width - gap * (cols - 1)) / cols);
  if (cell > 44) cell = 44;
  if (cell < 6 || count > maxCols * maxCols) {
    cell = 6;
    cols = Math.max(1, Math.floor((width + gap) / (cell + gap)));
  }
  const rows = Math.ceil(count / cols);
  return { cols, rows, cell, gap, width: cols * (cell + gap) - gap, height: rows * (cell + gap) - gap };
}

/** The pfn under point (x, y) of a canvas laid out by `layout`, or -1. */
export function frameAt(layout: FrameLayout, count: number, x: number, y: number): number {
  const pitch = layout.cell + layout.gap;
  const col = Math.floor(x / pitch);
  const row = Math.floor(y / pitch);
  if (
    col < 0 ||
    col >= layout.cols ||
    row < 0 ||
    x - col * pitch >= layout.cell ||
    y - row * pitch >= layout.cell
  )
    return -1;
  const pfn = row * layout.cols + col;
  return pfn < count ? pfn : -1;
}

/** Top-left corner of frame `pfn`. */
export function framePosition(layout: FrameLayout, pfn: number): { x: number; y: number } {
  const pitch = layout.cell + layout.gap;
  return { x: (pfn % layout.cols) * pitch, y: Math.floor(pfn / layout.cols) * pitch };
}
