import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { seriesColour } from "../lab/palette.js";
import type { Anomaly, MissCurve } from "../worker/protocol.js";

/** Miss curves of several policies overlaid (uPlot), anomalous sizes marked. */
export function MrcChart(props: {
  readonly curves: readonly MissCurve[];
  readonly anomalies: readonly Anomaly[];
  readonly onCanvas?: (canvas: HTMLCanvasElement | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    const first = props.curves[0];
    if (!el || !first) return;
    const anomalous = new Set(props.anomalies.map((a) => `${a.policy}:${a.moreFrames}`));
    const data: uPlot.AlignedData = [
      first.frames as number[],
      ...props.curves.map((c) => c.misses as number[]),
    ];
    const chart = new uPlot(
      {
        width: Math.max(320, Math.min(720, el.clientWidth || 640)),
        height: 280,
        title: "Misses by number of frames",
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ label: "frames" }, { label: "misses" }],
        series: [
          { label: "frames" },
          ...props.curves.map((c, i) => ({
            label: c.policy,
            stroke: seriesColour(i),
            width: 2,
            points: {
              show: true,
              size: 7,
              fill: (_u: uPlot, si: number) => seriesColour(si - 1),
              filter: (_u: uPlot, si: number, show: boolean) => {
                if (!show) return null;
                const curve = props.curves[si - 1]!;
                return curve.frames.flatMap((f, j) => (anomalous.has(`${curve.policy}:${f}`) ? [j] : []));
              },
            },
          })),
        ],
      },
      data,
      el,
    );
    props.onCanvas?.(el.querySelector("canvas"));
    return () => {
      chart.destroy();
      props.onCanvas?.(null);
    };
  }, [props.curves, props.anomalies]);
  return <div class="chart" ref={host} />;
}
