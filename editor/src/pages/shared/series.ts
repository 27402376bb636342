/** Series of [epoch ms, value] pairs joined on one time axis, as uPlot draws them. */
export interface AlignedSeries {
  /** Epoch seconds (uPlot's time unit), ascending. */
  x: number[];
  ys: { label: string; values: (number | null)[] }[];
}

export interface InputSeries {
  label: string;
  data: readonly (readonly [number, unknown])[];
}

/** Only numbers are drawn; booleans as 0/1, everything else as a gap. */
function plottable(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Joins series on the union of their timestamps; a series without a value at a time has a gap there. */
export function alignSeries(series: readonly InputSeries[]): AlignedSeries {
  const times = new Set<number>();
  for (const s of series) for (const [t] of s.data) times.add(t);
  const sorted = [...times].sort((a, b) => a - b);
  const index = new Map(sorted.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const values: (number | null)[] = new Array<number | null>(sorted.length).fill(null);
    for (const [t, v] of s.data) {
      const i = index.get(t);
      if (i !== undefined) values[i] = plottable(v);
    }
    return { label: s.label, values };
  });
  return { x: sorted.map((t) => t / 1000), ys };
}
