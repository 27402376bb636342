/** The statistics the aggregate node computes over one window's values. */
export const aggregateOps = ['avg', 'min', 'max', 'sum', 'count', 'first', 'last', 'stddev', 'percentile'] as const;
export type AggregateOp = (typeof aggregateOps)[number];

export interface AggregateSpec {
  ops: readonly AggregateOp[];
  /** Percentiles (0..100) computed when `percentile` is among the ops; each appears as `p<N>`. */
  percentiles: readonly number[];
  /** Population (divide by n) or sample (n - 1) standard deviation. */
  stddev: 'population' | 'sample';
}

export type AggregateValues = Record<string, number | null>;

/** The output name of a percentile: 95 → "p95", 99.9 → "p99.9". */
export const percentileName = (p: number) => `p${p}`;

/**
 * Percentile by linear interpolation between closest ranks (numpy's default, Excel's
 * PERCENTILE.INC) over the first `n` entries of `sorted`, which must be sorted ascending.
 */
export function percentileOfSorted(sorted: Float64Array, n: number, p: number): number {
  if (n === 1) return sorted[0] as number;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (rank - lo) * ((sorted[hi] as number) - a);
}

/**
 * Computes the requested statistics over `values[0..n)` in one pass (Welford's method for the
 * deviation), sorting the values in place only when percentiles are asked for. An empty window
 * gives count 0 and null for everything else.
 */
export function computeAggregates(spec: AggregateSpec, values: Float64Array, n: number): AggregateValues {
  const out: AggregateValues = {};
  if (n === 0) {
    for (const op of spec.ops) {
      if (op === 'percentile') for (const p of spec.percentiles) out[percentileName(p)] = null;
      else out[op] = op === 'count' ? 0 : null;
    }
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  for (const op of spec.ops) {
    switch (op) {
      case 'avg':
        out['avg'] = sum / n;
        break;
      case 'min':
        out['min'] = min;
        break;
      case 'max':
        out['max'] = max;
        break;
      case 'sum':
        out['sum'] = sum;
        break;
      case 'count':
        out['count'] = n;
        break;
      case 'first':
        out['first'] = values[0] as number;
        break;
      case 'last':
        out['last'] = values[n - 1] as number;
        break;
      case 'stddev': {
        const div = spec.stddev === 'sample' ? n - 1 : n;
        out['stddev'] = div > 0 ? Math.sqrt(m2 / div) : null;
        break;
      }
      case 'percentile':
        break;
    }
  }
  if (spec.ops.includes('percentile') && spec.percentiles.length) {
    // first/last were read above, so sorting in place is safe now.
    const sorted = values.subarray(0, n).sort();
    for (const p of spec.percentiles) out[percentileName(p)] = percentileOfSorted(sorted, n, p);
  }
  return out;
}
