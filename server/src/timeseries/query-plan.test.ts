import { describe, expect, it } from 'vitest';
import {
  chooseSource,
  countSql,
  decimationInterval,
  formatInterval,
  intervalSeconds,
  latestSql,
  rawSql,
  sampledSql,
} from './query-plan.js';

const q = {
  table: 'mp_pk',
  points: [
    { point: 'power', column: 'power', numeric: true },
    { point: 'label', column: 'label', numeric: false },
  ],
  devices: ['d1', "d2' OR 1=1"],
  from: new Date(Date.UTC(2026, 0, 1)),
  to: new Date(Date.UTC(2026, 0, 2)),
};

describe('time-series query planning', () => {
  it('parses and formats intervals', () => {
    expect(intervalSeconds('90s')).toBe(90);
    expect(intervalSeconds('5m')).toBe(300);
    expect(intervalSeconds('2d')).toBe(172_800);
    expect(() => intervalSeconds('5 m')).toThrow();
    expect(formatInterval(3600)).toBe('1h');
    expect(formatInterval(90)).toBe('90s');
    expect(formatInterval(120)).toBe('2m');
  });

  it('picks the coarsest enabled tier whose bucket divides the interval', () => {
    const all = ['1m', '1h', '1d'] as const;
    expect(chooseSource('1d', all)).toBe('1d');
    expect(chooseSource('7d', all)).toBe('1d');
    expect(chooseSource('6h', all)).toBe('1h');
    expect(chooseSource('90m', all)).toBe('1m');
    expect(chooseSource('30s', all)).toBe('raw');
    expect(chooseSource('90s', all)).toBe('raw');
    expect(chooseSource('1d', ['1m'])).toBe('1m');
    expect(chooseSource('1d', [])).toBe('raw');
  });

  it('decimates a long range to a round interval with at most maxPoints buckets', () => {
    expect(decimationInterval(86_400_000, 2000)).toBe('1m'); // 43.2 s wanted
    expect(decimationInterval(30 * 86_400_000, 1000)).toBe('1h');
    expect(decimationInterval(3_600_000, 100)).toBe('1m'); // 36 s
    expect(decimationInterval(10 * 365 * 86_400_000, 100)).toBe('37d'); // 36.5 days wanted, beyond the longest round step
  });

  it('builds sampled SQL from raw or tier columns, with values as parameters', () => {
    const raw = sampledSql(q, 'raw', '5m', 'avg');
    expect(raw.sql).toBe(
      'SELECT ts, device, avg("power") "power", last("label") "label" FROM "mp_pk" WHERE ts >= $1 AND ts < $2 AND device IN ($3, $4) SAMPLE BY 5m ALIGN TO CALENDAR ORDER BY ts',
    );
    expect(raw.params).toEqual([q.from, q.to, 'd1', "d2' OR 1=1"]);
    const tier = sampledSql({ ...q, points: [q.points[0]!], devices: undefined }, '1h', '6h', 'avg');
    expect(tier.sql).toBe(
      'SELECT ts, device, sum("power_avg" * "power_count") / sum("power_count") "power" FROM "mp_pk_1h" WHERE ts >= $1 AND ts < $2 SAMPLE BY 6h ALIGN TO CALENDAR ORDER BY ts',
    );
    expect(sampledSql(q, '1m', '1h', 'count').sql).toContain('sum("power_count") "power"');
    expect(sampledSql(q, '1m', '1h', 'max').sql).toContain('max("power_max") "power"');
    expect(() => sampledSql(q, 'raw', '1h; DROP TABLE x', 'avg')).toThrow();
  });

  it('builds raw, count and latest SQL', () => {
    expect(rawSql(q, 500).sql).toBe(
      'SELECT ts, device, "power" "power", "label" "label" FROM "mp_pk" WHERE ts >= $1 AND ts < $2 AND device IN ($3, $4) ORDER BY ts LIMIT 500',
    );
    expect(countSql(q).sql).toContain('GROUP BY device');
    const latest = latestSql('mp_pk', q.points, ['d1']);
    expect(latest).toEqual({
      sql: 'SELECT ts, device, "power" "power", "label" "label" FROM "mp_pk" WHERE device IN ($1) LATEST ON ts PARTITION BY device',
      params: ['d1'],
    });
    expect(latestSql('mp_pk', q.points, undefined).params).toEqual([]);
  });
});
