import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, LatestResponse, SqlResponse, TimeseriesResponse } from '@gridflow/runtime/contract';
import { client } from '../helpers.js';
import { useQuestDb, waitForValue, waitForWal } from '../support/questdb.js';
import {
  createProduct,
  meterModel,
  ok,
  patchPolicy,
  startStorageServer,
  type StorageTestServer,
} from './storage-support.js';

/**
 * Reading back: two devices with one row a minute for two days (a: power = minute index, b: twice
 * that), so every bucket's avg, min, max, first, last and count is known exactly.
 */

const qdb = useQuestDb();
let s: StorageTestServer;
const T0 = Date.UTC(2026, 3, 1);
const MINUTES = 2 * 1440;
const DAY = 86_400_000;

beforeAll(async () => {
  s = await startStorageServer(qdb());
  await ok(s.admin.request('POST', '/api/thing-models', meterModel), 201);
  await createProduct(s.admin, 'tsPK');
  await patchPolicy(s.admin, 'tsPK', {});
  for (let i = 0; i < MINUTES; i++) {
    for (const [device, factor] of [
      ['a', 1],
      ['b', 2],
    ] as const) {
      await s.writer.write({
        table: 'mp_tsPK',
        symbols: { device },
        columns: { power: i * factor, count: 1, on: i % 2 === 0, label: `m${i}` },
        types: { count: 'long' },
        ts: T0 + i * 60_000,
      });
    }
  }
  await s.writer.flush();
  await waitForWal(s.sql, ['mp_tsPK']);
  // Materialized views refresh on their own schedule; the 1d tier is the last in the chain.
  await waitForValue(s.sql, 'SELECT sum(power_count) FROM "mp_tsPK_1d"', [], 2 * MINUTES, 60_000);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

const get = <T>(query: string) => ok<T>(s.admin.request('GET', `/api/timeseries${query}`));
const range = `from=${T0}&to=${T0 + 2 * DAY}`;
const avgOf = (from: number, to: number) => (from + to - 1) / 2; // mean of from..to-1

describe('GET /api/timeseries', { timeout: 60_000 }, () => {
  it('reads daily buckets from the 1d tier with weighted averages', async () => {
    const r = await get<TimeseriesResponse>(`?productKey=tsPK&points=power&${range}&interval=1d`);
    expect(r).toMatchObject({ source: '1d', interval: '1d', aggregate: 'avg', decimated: false });
    expect(r.series).toEqual([
      {
        device: 'a',
        point: 'power',
        data: [
          [T0, avgOf(0, 1440)],
          [T0 + DAY, avgOf(1440, 2880)],
        ],
      },
      {
        device: 'b',
        point: 'power',
        data: [
          [T0, 2 * avgOf(0, 1440)],
          [T0 + DAY, 2 * avgOf(1440, 2880)],
        ],
      },
    ]);
  });

  it('picks the coarsest tier that divides the interval and re-aggregates it', async () => {
    const hourly = await get<TimeseriesResponse>(
      `?productKey=tsPK&devices=a&points=power&${range}&interval=6h&aggregate=max`,
    );
    expect(hourly.source).toBe('1h');
    expect(hourly.series).toHaveLength(1);
    expect(hourly.series[0]?.data.slice(0, 2)).toEqual([
      [T0, 359],
      [T0 + 6 * 3_600_000, 719],
    ]);
    expect(hourly.series[0]?.data).toHaveLength(8);

    const fiveMin = await get<TimeseriesResponse>(`?productKey=tsPK&devices=b&points=power&${range}&interval=5m`);
    expect(fiveMin.source).toBe('1m');
    expect(fiveMin.series[0]?.data).toHaveLength(MINUTES / 5);
    expect(fiveMin.series[0]?.data[1]).toEqual([T0 + 300_000, 2 * avgOf(5, 10)]);

    for (const [aggregate, a, b] of [
      ['min', 0, 1440],
      ['first', 0, 1440],
      ['last', 1439, 2879],
      ['count', 1440, 1440],
    ] as const) {
      const r = await get<TimeseriesResponse>(
        `?productKey=tsPK&devices=a&points=power&${range}&interval=1d&aggregate=${aggregate}`,
      );
      expect(r.series[0]?.data, aggregate).toEqual([
        [T0, a],
        [T0 + DAY, b],
      ]);
    }
  });

  it('reads raw rows for intervals finer than a minute and for points outside the tiers', async () => {
    const fine = await get<TimeseriesResponse>(
      `?productKey=tsPK&devices=a&points=power&from=${T0}&to=${T0 + 3_600_000}&interval=30s`,
    );
    expect(fine.source).toBe('raw');
    expect(fine.series[0]?.data).toHaveLength(60);
    const mixed = await get<TimeseriesResponse>(
      `?productKey=tsPK&devices=a&points=power,label&from=${T0}&to=${T0 + 3_600_000}&interval=1h`,
    );
    expect(mixed.source).toBe('raw');
    expect(mixed.series.map((x) => [x.point, x.data])).toEqual([
      ['label', [[T0, 'm59']]],
      ['power', [[T0, avgOf(0, 60)]]],
    ]);
  });

  it('returns raw rows for a short range and decimates a long one', async () => {
    const short = await get<TimeseriesResponse>(
      `?productKey=tsPK&devices=a,b&points=power,on&from=${T0}&to=${T0 + 10 * 60_000}`,
    );
    expect(short).toMatchObject({ source: 'raw', interval: null, aggregate: null, decimated: false });
    expect(short.series.map((x) => [x.device, x.point, x.data.length])).toEqual([
      ['a', 'on', 10],
      ['a', 'power', 10],
      ['b', 'on', 10],
      ['b', 'power', 10],
    ]);
    expect(short.series[1]?.data[3]).toEqual([T0 + 3 * 60_000, 3]);
    expect(short.series[0]?.data[3]).toEqual([T0 + 3 * 60_000, false]);

    const long = await get<TimeseriesResponse>(`?productKey=tsPK&devices=a&points=power&${range}&maxPoints=100`);
    // 2 days in at most 100 buckets: 1728 s wanted, 30 minutes is the next round step; the 1m tier has it.
    expect(long).toMatchObject({ source: '1m', interval: '30m', aggregate: 'avg', decimated: true });
    expect(long.series[0]?.data).toHaveLength(96);
    expect(long.series[0]?.data[0]).toEqual([T0, avgOf(0, 30)]);
  });

  it('answers the latest values per device (LATEST ON)', async () => {
    const latest = await ok<LatestResponse>(
      s.admin.request('GET', '/api/timeseries/latest?productKey=tsPK&points=power,label'),
    );
    expect(latest.values).toEqual([
      { device: 'a', ts: T0 + (MINUTES - 1) * 60_000, points: { power: MINUTES - 1, label: `m${MINUTES - 1}` } },
      { device: 'b', ts: T0 + (MINUTES - 1) * 60_000, points: { power: 2 * (MINUTES - 1), label: `m${MINUTES - 1}` } },
    ]);
    const one = await ok<LatestResponse>(s.admin.request('GET', '/api/timeseries/latest?productKey=tsPK&devices=b'));
    expect(one.values.map((v) => v.device)).toEqual(['b']);
    expect(Object.keys(one.values[0]?.points ?? {}).sort()).toEqual(['count', 'label', 'on', 'power']);
  });

  it('answers bad requests with clear errors', async () => {
    const cases: [string, number, RegExp][] = [
      ['?productKey=tsPK&points=nope', 400, /no measure point "nope"/],
      ['?productKey=otherPK&points=power', 404, /no storage policy/],
      ['?productKey=tsPK&points=power&interval=5x', 400, /interval/],
      [`?productKey=tsPK&points=power&from=${T0 + DAY}&to=${T0}`, 400, /before/],
      ['?productKey=tsPK', 400, /points/],
    ];
    for (const [query, status, message] of cases) {
      const res = await s.admin.request('GET', `/api/timeseries${query}`);
      expect(res.status, query).toBe(status);
      expect((res.body as ApiError).error.message, query).toMatch(message);
    }
  });
});

describe('POST /api/sql', () => {
  it('runs a read-only query and returns typed columns and rows, cut at the limit', async () => {
    const r = await ok<SqlResponse>(
      s.admin.request('POST', '/api/sql', {
        sql: `SELECT ts, device, power, "on" FROM "mp_tsPK" WHERE device = 'a' ORDER BY ts;`,
        limit: 3,
      }),
    );
    expect(r.columns.map((c) => [c.name, c.kind])).toEqual([
      ['ts', 'timestamp'],
      ['device', 'string'],
      ['power', 'number'],
      ['on', 'boolean'],
    ]);
    expect(r.rows).toEqual([
      [new Date(T0).toISOString(), 'a', 0, true],
      [new Date(T0 + 60_000).toISOString(), 'a', 1, false],
      [new Date(T0 + 120_000).toISOString(), 'a', 2, true],
    ]);
    expect(r).toMatchObject({ rowCount: 3, truncated: true });
    const all = await ok<SqlResponse>(s.admin.request('POST', '/api/sql', { sql: 'SELECT count() n FROM "mp_tsPK"' }));
    expect(all).toMatchObject({ rows: [[2 * MINUTES]], truncated: false });
  });

  it('refuses writes, reports QuestDB errors and admits editors only', async () => {
    const drop = await s.admin.request('POST', '/api/sql', { sql: 'DROP TABLE "mp_tsPK"' });
    expect(drop.status).toBe(400);
    expect(JSON.stringify(drop.body)).toMatch(/only queries/);
    const two = await s.admin.request('POST', '/api/sql', { sql: 'SELECT 1; DROP TABLE "mp_tsPK"' });
    expect(two.status).toBe(400);
    const bad = await s.admin.request('POST', '/api/sql', { sql: 'SELECT nope FROM "mp_tsPK"' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/Invalid column: nope/);
    expect(await waitForValue(s.sql, 'SELECT count() FROM "mp_tsPK"', [], 2 * MINUTES)).toBe(2 * MINUTES);

    await ok(
      s.admin.request('POST', '/api/users', { username: 'viewer1', password: 'viewer-password-1', role: 'viewer' }),
      201,
    );
    const viewer = client(s.ts.url);
    expect((await viewer.login('viewer1', 'viewer-password-1')).status).toBe(200);
    expect((await viewer.request('POST', '/api/sql', { sql: 'SELECT 1' })).status).toBe(403);
    expect(
      (await viewer.request('GET', `/api/timeseries?productKey=tsPK&points=power&${range}&interval=1d`)).status,
    ).toBe(200);
  });
});
