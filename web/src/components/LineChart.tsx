// A line chart over uPlot, fed plain arrays. The plot is made once and updated in
// place with setData when the arrays change (how live curves stay cheap); it is made
// anew only when the series themselves change.

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  color: string;
  /** Which y scale: charts of accuracy and loss together use two. */
  scale?: "y" | "loss";
}

export function LineChart(props: {
  title: string;
  x: number[];
  ys: (number | null)[][];
  series: Series[];
  height?: number;
  xLabel?: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const signature = props.series.map((s) => `${s.label}:${s.scale ?? "y"}`).join("|");

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const twoScales = props.series.some((s) => s.scale === "loss");
    const options: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: props.height ?? 260,
      scales: { x: { time: false } },
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: props.xLabel ?? "step" },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.scale ?? "y",
          spanGaps: true,
          points: { show: false },
        })),
      ],
      axes: [
        { label: props.xLabel ?? "step", stroke: "#5b6477", grid: { stroke: "#eef0f4" } },
        { scale: "y", stroke: "#5b6477", grid: { stroke: "#eef0f4" } },
        ...(twoScales ? [{ scale: "loss", side: 1 as const, stroke: "#5b6477", grid: { show: false } }] : []),
      ],
    };
    const chart = new uPlot(options, [props.x, ...props.ys] as uPlot.AlignedData, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: options.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Remade only when the series change; data changes go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, props.height]);

  useEffect(() => {
    plot.current?.setData([props.x, ...props.ys] as uPlot.AlignedData);
  }, [props.x, props.ys]);

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={holder} role="img" aria-label={`${props.title}: ${props.x.length} points`} />
    </figure>
  );
}
