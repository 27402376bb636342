import { describe, expect, it } from 'vitest';
import { alignSeries } from './series.js';

describe('aligning series for the chart', () => {
  it('joins on the union of timestamps with gaps, in seconds', () => {
    const a = alignSeries([
      { label: 'a', data: [[2000, 1], [1000, 2]] },
      { label: 'b', data: [[3000, true], [1000, 'x']] },
    ]);
    expect(a.x).toEqual([1, 2, 3]);
    expect(a.ys).toEqual([
      { label: 'a', values: [2, 1, null] },
      { label: 'b', values: [null, null, 1] },
    ]);
  });

  it('handles no data', () => {
    expect(alignSeries([])).toEqual({ x: [], ys: [] });
  });
});
