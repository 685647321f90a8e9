import { useEffect, useRef } from "preact/hooks";
import { CATEGORY_STYLE, FRAME_CATEGORIES, frameAt, frameLayout, framePosition } from "../lab/frame-map.js";
import type { MachineState } from "../worker/protocol.js";

/**
 * Physical memory on a canvas: one square per frame coloured by use, the owner's pid in
 * the corner, a ring on frames mapped more than once, a thick outline on the frames the
 * current event touched and on the selected frame.
 */
export function FrameMap(props: {
  readonly state: MachineState;
  readonly selected: number;
  readonly onSelect: (pfn: number) => void;
  readonly width: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { category, owner, mapCount } = props.state.frames;
  const count = category.length;
  const layout = frameLayout(count, props.width);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = layout.width * dpr;
    c.height = layout.height * dpr;
    c.style.width = `${layout.width}px`;
    c.style.height = `${layout.height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    const touched = new Set(props.state.touched);
    const big = layout.cell >= 18;
    ctx.textBaseline = "middle";
    for (let pfn = 0; pfn < count; pfn++) {
      const style = CATEGORY_STYLE[FRAME_CATEGORIES[category[pfn]!] ?? "free"];
      const { x, y } = framePosition(layout, pfn);
      ctx.fillStyle = style.fill;
      ctx.fillRect(x, y, layout.cell, layout.cell);
      if (big) {
        ctx.fillStyle = style.ink;
        ctx.font = `bold ${Math.floor(layout.cell * 0.42)}px sans-serif`;
        ctx.textAlign = "center";
        ctx.fillText(style.letter, x + layout.cell / 2, y + layout.cell * 0.42);
        if (owner[pfn]! >= 0) {
          ctx.font = `${Math.floor(layout.cell * 0.3)}px sans-serif`;
          ctx.fillText(String(owner[pfn]), x + layout.cell / 2, y + layout.cell * 0.8);
        }
      }
      if (mapCount[pfn]! > 1) {
        ctx.strokeStyle = style.ink;
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.arc(x + layout.cell - 4, y + 4, 2.5, 0, Math.PI * 2);
        ctx.stroke();
      }
      if (touched.has(pfn) || pfn === props.selected) {
        ctx.strokeStyle = pfn === props.selected ? "#E69F00" : "#000000";
        ctx.lineWidth = 3;
        ctx.strokeRect(x + 1.5, y + 1.5, layout.cell - 3, layout.cell - 3);
      }
    }
  }, [props.state, props.selected, layout.width, layout.cell]);

  const pick = (e: MouseEvent) => {
    const rect = (e.target as HTMLCanvasElement).getBoundingClientRect();
    const pfn = frameAt(layout, count, e.clientX - rect.left, e.clientY - rect.top);
    if (pfn >= 0) props.onSelect(pfn);
  };
  const onKey = (e: KeyboardEvent) => {
    const step =
      e.key === "ArrowRight"
        ? 1
        : e.key === "ArrowLeft"
          ? -1
          : e.key === "ArrowDown"
            ? layout.cols
            : e.key === "ArrowUp"
              ? -layout.cols
              : 0;
    if (step === 0) return;
    e.preventDefault();
    e.stopPropagation();
    props.onSelect(Math.max(0, Math.min(count - 1, Math.max(0, props.selected) + step)));
  };
  return (
    <canvas
      ref={canvas}
      class="frame-map"
      data-testid="frame-map"
      tabIndex={0}
      role="img"
      aria-label={`physical memory: ${count} frames, ${count - countFree(category)} in use; click a frame to see who maps it`}
      onClick={pick}
      onKeyDown={onKey}
    />
  );
}

function countFree(category: Uint8Array): number {
  let n = 0;
  for (const c of category) if (c === 0) n++;
  return n;
}

/** The colour key of the frame map. */
export function FrameLegend() {
  return (
    <ul class="legend" aria-label="frame colours">
      {FRAME_CATEGORIES.map((c) => (
        <li key={c}>
          <span class="swatch" style={{ background: CATEGORY_STYLE[c].fill, color: CATEGORY_STYLE[c].ink }}>
            {CATEGORY_STYLE[c].letter}
          </span>
          {c}
        </li>
      ))}
    </ul>
  );
}

/**
 * Swap slots as a strip of cells: filled when used, with the owner's pid (0: shared by
 * several); past 64 slots the cells shrink to dots and only a count is written.
 */
export function SwapStrip({ swap }: { readonly swap: Int32Array }) {
  if (swap.length === 0) return <p class="muted">No swap configured.</p>;
  let used = 0;
  for (const o of swap) if (o !== -1) used++;
  const dense = swap.length > 64;
  return (
    <section
      class={dense ? "swap dense" : "swap"}
      aria-label={`swap: ${used} of ${swap.length} slots used`}
      data-testid="swap"
    >
      <span class="swap-count">
        {used} of {swap.length} slots used
      </span>
      {Array.from(swap, (o, i) => (
        <span
          key={i}
          class={o === -1 ? "slot" : "slot used"}
          title={o === -1 ? `slot ${i}: free` : `slot ${i}: pid ${o}`}
        >
          {o === -1 || dense ? "" : o}
        </span>
      ))}
    </section>
  );
}
