import { describe, expect, it } from 'vitest';
import { computeAggregates, percentileOfSorted, type AggregateSpec } from './aggregators.js';

const all: AggregateSpec = {
  ops: ['avg', 'min', 'max', 'sum', 'count', 'first', 'last', 'stddev', 'percentile'],
  percentiles: [50, 95, 0, 100],
  stddev: 'population',
};

describe('aggregators', () => {
  it('computes every statistic in one pass', () => {
    const values = Float64Array.from([4, 2, 9, 7, 3, 5]);
    const r = computeAggregates(all, values, values.length);
    expect(r['avg']).toBeCloseTo(5);
    expect(r['min']).toBe(2);
    expect(r['max']).toBe(9);
    expect(r['sum']).toBe(30);
    expect(r['count']).toBe(6);
    expect(r['first']).toBe(4);
    expect(r['last']).toBe(5);
    // population deviation of 4,2,9,7,3,5 around mean 5: squares 1+9+16+4+4+0 = 34
    expect(r['stddev']).toBeCloseTo(Math.sqrt(34 / 6), 12);
    expect(r['p50']).toBeCloseTo(4.5);
    expect(r['p95']).toBeCloseTo(8.5);
    expect(r['p0']).toBe(2);
    expect(r['p100']).toBe(9);
  });

  it('uses only the first n values of the scratch buffer', () => {
    const scratch = Float64Array.from([1, 2, 3, 1000, 1000]);
    const r = computeAggregates({ ops: ['max', 'count', 'sum'], percentiles: [], stddev: 'population' }, scratch, 3);
    expect(r).toEqual({ max: 3, count: 3, sum: 6 });
  });

  it('gives the sample deviation, and null for a single value', () => {
    const spec: AggregateSpec = { ops: ['stddev'], percentiles: [], stddev: 'sample' };
    expect(computeAggregates(spec, Float64Array.from([1, 2, 3, 4]), 4)['stddev']).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(computeAggregates(spec, Float64Array.from([7]), 1)['stddev']).toBeNull();
  });

  it('stays accurate for large offsets (Welford)', () => {
    const base = 1e9;
    const values = Float64Array.from([base + 4, base + 7, base + 13, base + 16]);
    const r = computeAggregates({ ops: ['stddev'], percentiles: [], stddev: 'sample' }, values, 4);
    expect(r['stddev']).toBeCloseTo(Math.sqrt(30), 6);
  });

  it('gives count 0 and nulls for an empty window', () => {
    const r = computeAggregates(all, new Float64Array(4), 0);
    expect(r).toEqual({
      avg: null,
      min: null,
      max: null,
      sum: null,
      count: 0,
      first: null,
      last: null,
      stddev: null,
      p50: null,
      p95: null,
      p0: null,
      p100: null,
    });
  });

  it('interpolates percentiles between ranks', () => {
    const sorted = Float64Array.from([10, 20, 30, 40]);
    expect(percentileOfSorted(sorted, 4, 25)).toBeCloseTo(17.5);
    expect(percentileOfSorted(sorted, 4, 90)).toBeCloseTo(37);
    expect(percentileOfSorted(sorted, 1, 90)).toBe(10);
  });
});
