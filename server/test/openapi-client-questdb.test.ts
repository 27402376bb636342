import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGridflowClient, GridflowApiError, type GridflowClient } from '@gridflow/client';
import { apiRoutes } from '@gridflow/runtime/contract';
import { mountedRoutes } from '../src/openapi/index.js';
import { ADMIN_PASSWORD } from './helpers.js';
import { meterModel, startStorageServer, type StorageTestServer } from './questdb/storage-support.js';
import { useQuestDb, waitForWal } from './support/questdb.js';

/** The client's time-series, SQL and storage functions against a server with a real QuestDB. */

const qdb = useQuestDb();
let s: StorageTestServer;
let gf: GridflowClient;
const T0 = Date.UTC(2026, 4, 1);

beforeAll(async () => {
  s = await startStorageServer(qdb());
  gf = createGridflowClient({ baseUrl: s.ts.url, validateResponses: true });
  await gf.login('admin', ADMIN_PASSWORD);
  await gf.api.createThingModel({ body: meterModel });
  await gf.api.createProduct({ body: { productKey: 'cliPK', name: 'Client meters', modelId: 'Meter' } });
  await gf.api.patchStoragePolicy({ params: { productKey: 'cliPK' }, body: {} });
  for (const [i, device] of [
    [0, 'm1'],
    [1, 'm1'],
    [2, 'm1'],
    [0, 'm2'],
  ] as const) {
    await s.writer.write({
      table: 'mp_cliPK',
      symbols: { device },
      columns: { power: (i + 1) * 1.5 },
      ts: T0 + i * 60_000,
    });
  }
  await s.writer.flush();
  await waitForWal(s.sql, ['mp_cliPK']);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('@gridflow/client with QuestDB', () => {
  it('reads a time series and the latest values', async () => {
    const series = await gf.api.timeseries({
      query: { productKey: 'cliPK', devices: 'm1', points: 'power', from: T0, to: T0 + 180_000 },
    });
    expect(series.source).toBe('raw');
    expect(series.series).toEqual([
      {
        device: 'm1',
        point: 'power',
        data: [
          [T0, 1.5],
          [T0 + 60_000, 3],
          [T0 + 120_000, 4.5],
        ],
      },
    ]);

    const latest = await gf.api.latest({ query: { productKey: 'cliPK', points: 'power' } });
    expect(latest.values.map((v) => [v.device, v.ts, v.points['power']]).sort()).toEqual([
      ['m1', T0 + 120_000, 4.5],
      ['m2', T0, 1.5],
    ]);
  });

  it('runs read-only SQL and reports QuestDB errors as validation errors', async () => {
    const result = await gf.api.sql({
      body: { sql: 'SELECT device, sum(power) total FROM mp_cliPK GROUP BY device ORDER BY device' },
    });
    expect(result.columns.map((c) => [c.name, c.kind])).toEqual([
      ['device', 'string'],
      ['total', 'number'],
    ]);
    expect(result.rows).toEqual([
      ['m1', 9],
      ['m2', 1.5],
    ]);
    const err = await gf.api.sql({ body: { sql: 'SELECT nope FROM mp_cliPK' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GridflowApiError);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION' });
  });

  it('reads storage policies and the storage status', async () => {
    const policies = await gf.api.listStoragePolicies();
    expect(JSON.stringify(policies)).toContain('cliPK');
    const status = await gf.api.storageStatus();
    expect(status.questdb.managed).toBe(false);
    expect(status.questdb.pgPort).toBe(qdb().connection.pgPort);
  });

  it('has a route table entry, so a client function, for every /api route these modules mount', () => {
    const listed = new Set(Object.values(apiRoutes).map((r) => `${r.method} ${r.path}`));
    const mounted = mountedRoutes(s.ts.server.app).filter((r) => r.path.startsWith('/api/'));
    expect(mounted.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/timeseries', '/api/sql', '/api/storage/status']),
    );
    expect(mounted.map((r) => `${r.method} ${r.path}`).filter((k) => !listed.has(k))).toEqual([]);
  });
});
