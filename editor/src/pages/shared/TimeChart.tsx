import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AlignedSeries } from './series.js';

const COLORS = ['#3b6ea5', '#c0392b', '#2e8b57', '#d68910', '#7d3c98', '#17a2b8', '#6c757d', '#e83e8c'];

/**
 * A time-series line chart (uPlot). Dragging across it selects a range: `onZoom` gets it in epoch
 * ms, so the caller can fetch that range at a finer resolution; without `onZoom` uPlot zooms the
 * data it has. Double-click resets a local zoom.
 */
export function TimeChart({
  data,
  height = 280,
  unit,
  onZoom,
  testId = 'chart',
}: {
  data: AlignedSeries;
  height?: number;
  unit?: string | undefined;
  onZoom?: (fromMs: number, toMs: number) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const labels = data.ys.map((y) => y.label).join('\u0000');

  // The chart is rebuilt when the set of series changes, and only fed new data otherwise.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      series: [{}, ...data.ys.map((y, i) => ({ label: y.label, stroke: COLORS[i % COLORS.length] ?? '#333', width: 1.5, spanGaps: false }))],
      axes: [{}, { label: unit, size: 60 }],
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false, setScale: !zoomRef.current } },
      hooks: {
        setSelect: [
          (u) => {
            if (!zoomRef.current || u.select.width < 3) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomRef.current(Math.round(from * 1000), Math.round(to * 1000));
          },
        ],
      },
    };
    const u = new uPlot(opts, [data.x, ...data.ys.map((y) => y.values)] as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Dependencies: rebuilt only when the series set changes
  }, [labels, height, unit]);

  useEffect(() => {
    plot.current?.setData([data.x, ...data.ys.map((y) => y.values)] as uPlot.AlignedData);
  }, [data]);

  return <div className="gf-chart" ref={box} data-testid={testId} data-points={data.x.length} />;
}
