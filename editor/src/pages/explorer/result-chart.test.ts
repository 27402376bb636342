import { describe, expect, it } from 'vitest';
import type { SqlResponse } from '@gridflow/runtime/contract';
import { chartSeries } from './result-chart.js';

const base = { rowCount: 0, truncated: false, elapsedMs: 1 };

describe('charting a SQL result', () => {
  it('draws each number column over the first timestamp column', () => {
    const r: SqlResponse = {
      ...base,
      columns: [
        { name: 'ts', kind: 'timestamp', typeId: 1184 },
        { name: 'power', kind: 'number', typeId: 701 },
        { name: 'temp', kind: 'number', typeId: 701 },
      ],
      rows: [
        ['2026-01-01T00:00:00.000Z', 1, 20],
        ['2026-01-01T00:01:00.000Z', 2, 21],
      ],
    };
    const c = chartSeries(r);
    expect(c.time).toBe('ts');
    expect(c.series.map((s) => s.label)).toEqual(['power', 'temp']);
    expect(c.series[0]?.data).toEqual([
      [Date.parse('2026-01-01T00:00:00.000Z'), 1],
      [Date.parse('2026-01-01T00:01:00.000Z'), 2],
    ]);
    expect(chartSeries(r, ['temp']).series.map((s) => s.label)).toEqual(['temp']);
  });

  it('splits lines by a string column with few values', () => {
    const r: SqlResponse = {
      ...base,
      columns: [
        { name: 'ts', kind: 'timestamp', typeId: 1184 },
        { name: 'device', kind: 'string', typeId: 1043 },
        { name: 'power', kind: 'number', typeId: 701 },
      ],
      rows: [
        ['2026-01-01T00:00:00Z', 'a', 1],
        ['2026-01-01T00:00:00Z', 'b', 2],
      ],
    };
    expect(chartSeries(r).series.map((s) => s.label)).toEqual(['a power', 'b power']);
  });

  it('has nothing to chart without a timestamp or a number', () => {
    const r: SqlResponse = { ...base, columns: [{ name: 'table_name', kind: 'string', typeId: 1043 }], rows: [['x']] };
    expect(chartSeries(r).series).toEqual([]);
  });
});
