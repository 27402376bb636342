import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MqttClient } from 'mqtt';
import type {
  Device,
  RejectedRowsResponse,
  StoragePoliciesResponse,
  StoragePolicyView,
  StorageStatus,
} from '@gridflow/runtime/contract';
import { request } from '../devices/support.js';
import { useQuestDb, waitForValue, waitForWal } from '../support/questdb.js';
import {
  connect,
  count,
  createDevices,
  createProduct,
  meterModel,
  ok,
  patchPolicy,
  post,
  startStorageServer,
  type StorageTestServer,
} from './storage-support.js';

/** Storage policies end to end: devices post over MQTT, rows land in QuestDB as the policy says. */

const qdb = useQuestDb();
let s: StorageTestServer;
let m1: Device;
let m2: Device;
let c1: MqttClient;
let c2: MqttClient;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

interface TableInfo {
  walEnabled: boolean;
  dedup: boolean;
  ttlValue: number;
  ttlUnit: string;
  partitionBy: string;
  designatedTimestamp: string;
}

beforeAll(async () => {
  s = await startStorageServer(qdb());
  await ok(s.admin.request('POST', '/api/thing-models', meterModel), 201);
  await createProduct(s.admin, 'meterPK');
  [m1, m2] = (await createDevices(s.admin, 'meterPK', ['m1', 'm2'])) as [Device, Device];
  c1 = await connect(s, m1);
  c2 = await connect(s, m2);
});
afterAll(async () => {
  await c1?.endAsync(true);
  await c2?.endAsync(true);
  await s?.close();
});

const tableInfo = async (name: string) =>
  (await s.sql.query<TableInfo & Record<string, unknown>>('SELECT * FROM tables() WHERE table_name = $1', [name]))
    .rows[0];
const views = async () =>
  (
    await s.sql.query<{ view_name: string; base_table_name: string }>(
      "SELECT view_name, base_table_name FROM materialized_views() WHERE view_name LIKE 'mp_meterPK%' ORDER BY view_name",
    )
  ).rows.map((r) => `${r.view_name}<-${r.base_table_name}`);

describe('storage policies', { timeout: 90_000 }, () => {
  it('stores nothing of a product without a policy', async () => {
    await post(c1, m1, { power: 1 }, T0 - 60_000);
    expect(await ok(s.admin.request('GET', '/api/storage-policies'))).toEqual({ policies: [] });
    expect((await s.admin.request('GET', '/api/storage-policies/meterPK')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(await tableInfo('mp_meterPK')).toBeUndefined();
  });

  it('creates the table (WAL, dedup keys, daily partitions, TTL) and the tier views when a policy is saved', async () => {
    const view = await patchPolicy(s.admin, 'meterPK', { reportIntervalSeconds: 10 });
    expect(view).toMatchObject({
      productKey: 'meterPK',
      store: true,
      table: 'mp_meterPK',
      rawRetention: { value: 30, unit: 'DAYS' },
      views: [
        { tier: '1m', name: 'mp_meterPK_1m' },
        { tier: '1h', name: 'mp_meterPK_1h' },
        { tier: '1d', name: 'mp_meterPK_1d' },
      ],
    });
    expect(view.modelPoints.map((p) => [p.identifier, p.columnType, p.downsampled])).toEqual([
      ['power', 'DOUBLE', true],
      ['count', 'LONG', true],
      ['on', 'BOOLEAN', false],
      ['label', 'VARCHAR', false],
    ]);
    // 2 devices reporting every 10 s: 8640 rows a day each; a raw row is ts 8 + device 4 + power 8 + quality 4 + count 8 + on 1 + label 40.
    expect(view.projection).toMatchObject({
      devices: 2,
      basis: 'reportInterval',
      rowsPerDevicePerDay: 8640,
      rawRowBytes: 73,
    });
    expect(view.projection.items.find((i) => i.source === 'raw')).toMatchObject({
      rowsPerDay: 17_280,
      bytesPerDay: 17_280 * 73,
      retentionDays: 30,
    });
    expect(await tableInfo('mp_meterPK')).toMatchObject({
      walEnabled: true,
      dedup: true,
      ttlValue: 30,
      ttlUnit: 'DAY',
      partitionBy: 'DAY',
      designatedTimestamp: 'ts',
    });
    const cols = await s.sql.query<{ column: string; type: string; upsertKey: boolean }>(
      'SHOW COLUMNS FROM "mp_meterPK"',
    );
    expect(cols.rows.map((c) => [c.column, c.type, c.upsertKey])).toEqual([
      ['device', 'SYMBOL', true],
      ['power', 'DOUBLE', false],
      ['power_quality', 'INT', false],
      ['count', 'LONG', false],
      ['on', 'BOOLEAN', false],
      ['label', 'VARCHAR', false],
      ['ts', 'TIMESTAMP', true],
    ]);
    expect(await views()).toEqual([
      'mp_meterPK_1d<-mp_meterPK_1h',
      'mp_meterPK_1h<-mp_meterPK_1m',
      'mp_meterPK_1m<-mp_meterPK',
    ]);
    const list = await ok<StoragePoliciesResponse>(s.admin.request('GET', '/api/storage-policies'));
    expect(list.policies.map((p) => p.productKey)).toEqual(['meterPK']);
  });

  it('stores live, back-filled and replayed measure points once each, and device events', async () => {
    for (let i = 0; i < 5; i++) {
      await post(
        c1,
        m1,
        { power: { value: 10 + i, quality: 1 }, count: i, on: i % 2 === 0, label: `r${i}` },
        T0 + i * 1000,
      );
      await post(c2, m2, { power: 20 + i }, T0 + i * 1000);
    }
    // Back-filled data (resume) is stored too, and a replay of a stored row overwrites it.
    await post(c1, m1, { power: 99 }, T0 - 3_600_000, true);
    await post(c1, m1, { power: { value: 14, quality: 1 }, count: 4, on: true, label: 'r4' }, T0 + 4000);
    const ev = await request(c1, '/sys/meterPK/m1/thing/event/trip/post', 'thing.event.trip.post', {
      events: { reason: 'overload' },
      time: T0 + 500,
    });
    expect(ev.code).toBe(200);

    await waitForValue(s.sql, 'SELECT count() FROM "mp_meterPK"', [], 11);
    await waitForWal(s.sql, ['mp_meterPK']);
    const m1Rows = await s.sql.query<{
      power: number;
      power_quality: number;
      count: number;
      on: boolean;
      label: string;
      ts: Date;
    }>('SELECT power, power_quality, count, "on", label, ts FROM "mp_meterPK" WHERE device = $1 ORDER BY ts', ['m1']);
    expect(m1Rows.rows.map((r) => [r.ts.getTime() - T0, r.power, r.power_quality, r.count, r.on, r.label])).toEqual([
      [-3_600_000, 99, null, null, false, null],
      [0, 10, 1, 0, true, 'r0'],
      [1000, 11, 1, 1, false, 'r1'],
      [2000, 12, 1, 2, true, 'r2'],
      [3000, 13, 1, 3, false, 'r3'],
      [4000, 14, 1, 4, true, 'r4'],
    ]);
    expect(await count(s.sql, 'SELECT sum(power) FROM "mp_meterPK" WHERE device = $1', ['m2'])).toBe(
      20 + 21 + 22 + 23 + 24,
    );
    await waitForValue(s.sql, 'SELECT count() FROM device_events', [], 1);
    const events = await s.sql.query<{ product: string; device: string; event: string; payload: string; ts: Date }>(
      'SELECT * FROM device_events',
    );
    expect(events.rows.map((e) => [e.product, e.device, e.event, JSON.parse(e.payload), e.ts.getTime()])).toEqual([
      ['meterPK', 'm1', 'trip', { reason: 'overload' }, T0 + 500],
    ]);
    await waitForValue(s.sql, 'SELECT sum(power_count) FROM "mp_meterPK_1m" WHERE device = $1', ['m1'], 6, 60_000);
  });

  it('applies a policy change: TTL, a tier switched off, a point no longer stored', async () => {
    const view = await patchPolicy(s.admin, 'meterPK', {
      rawRetention: { value: 10, unit: 'DAYS' },
      tiers: [
        { tier: '1h', enabled: false },
        { tier: '1d', retention: { value: 5, unit: 'YEARS' } },
      ],
      points: { label: { store: false } },
    });
    expect(view.views.map((v) => v.tier)).toEqual(['1m', '1d']);
    expect(view.modelPoints.find((p) => p.identifier === 'label')).toMatchObject({ stored: false });
    await waitForWal(s.sql, ['mp_meterPK', 'mp_meterPK_1d']);
    expect(await tableInfo('mp_meterPK')).toMatchObject({ ttlValue: 10, ttlUnit: 'DAY' });
    expect(await views()).toEqual(['mp_meterPK_1d<-mp_meterPK_1m', 'mp_meterPK_1m<-mp_meterPK']);
    expect(await tableInfo('mp_meterPK_1d')).toMatchObject({ ttlValue: 5, ttlUnit: 'YEAR' });
    // The 1d view was rebuilt from the kept 1m view: it still counts every stored row of m1.
    await waitForValue(s.sql, 'SELECT sum(power_count) FROM "mp_meterPK_1d" WHERE device = $1', ['m1'], 6, 60_000);

    await post(c1, m1, { power: 50, label: 'not stored' }, T0 + 10_000);
    await waitForValue(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE power = 50', [], 1);
    expect(await count(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE label = $1', ['not stored'])).toBe(0);
    // The column of a point no longer stored stays, with what it held.
    expect(await count(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE label IS NOT NULL')).toBe(5);

    // Storing switched off: the policy stays, nothing new lands.
    await patchPolicy(s.admin, 'meterPK', { store: false });
    await post(c1, m1, { power: 60 }, T0 + 11_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await count(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE power = 60')).toBe(0);
    await patchPolicy(s.admin, 'meterPK', { store: true });
  });

  it('adds a column when the thing model gains a point, and rebuilds the views with it', async () => {
    const model = {
      ...meterModel,
      measurePoints: [
        ...(meterModel.measurePoints ?? []),
        { identifier: 'voltage', name: 'Voltage', pointType: 'AI', spec: { type: 'double' } },
      ],
    };
    await ok(s.admin.request('PATCH', '/api/thing-models/Meter', model));
    await post(c2, m2, { power: 30, voltage: 230.5 }, T0 + 20_000);
    // The unknown point makes the ingest read the model again and add the column before storing the row.
    const columns = async () =>
      (await s.sql.query<{ column: string; type: string }>('SHOW COLUMNS FROM "mp_meterPK"')).rows.map(
        (c) => `${c.column}:${c.type}`,
      );
    await vi.waitFor(async () => expect(await columns()).toContain('voltage:DOUBLE'), {
      timeout: 30_000,
      interval: 100,
    });
    await waitForValue(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE voltage = 230.5', [], 1);
    // The views are rebuilt with the new point right after the column is added.
    await vi.waitFor(async () => expect(await count(s.sql, 'SELECT sum(voltage_count) FROM "mp_meterPK_1m"')).toBe(1), {
      timeout: 30_000,
      interval: 100,
    });
  });

  it('validates policy bodies and answers a preview without saving it', async () => {
    const bad = await s.admin.request('PATCH', '/api/storage-policies/meterPK', {
      rawRetention: { value: 0, unit: 'DAYS' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('rawRetention.value');
    const unknownTier = await s.admin.request('PATCH', '/api/storage-policies/meterPK', { tiers: [{ tier: '5m' }] });
    expect(unknownTier.status).toBe(400);
    expect((await s.admin.request('PATCH', '/api/storage-policies/ghostPK', {})).status).toBe(404);
    const preview = await ok<StoragePolicyView>(
      s.admin.request('POST', '/api/storage-policies/meterPK/preview', { tiers: [{ tier: '1m', enabled: false }] }),
    );
    expect(preview.views.map((v) => v.tier)).toEqual(['1d']);
    expect(preview.projection.basis).toBe('measured');
    const saved = await ok<StoragePolicyView>(s.admin.request('GET', '/api/storage-policies/meterPK'));
    expect(saved.views.map((v) => v.tier)).toEqual(['1m', '1d']);
  });

  it('keeps rows QuestDB refuses aside with the reason, and stores the rest of their batch', async () => {
    // A text where the table has a DOUBLE: only QuestDB can tell, and it refuses that row.
    await s.writer.write({
      table: 'mp_meterPK',
      symbols: { device: 'm9' },
      columns: { power: 'abc' },
      types: { power: 'varchar' },
      ts: T0,
    });
    await s.writer.write({ table: 'mp_meterPK', symbols: { device: 'm9' }, columns: { power: 7 }, ts: T0 + 1 });
    await s.writer.flush();
    await waitForValue(s.sql, 'SELECT count() FROM "mp_meterPK" WHERE device = $1', ['m9'], 1);
    let rejected: RejectedRowsResponse = { rows: [], total: 0 };
    for (let i = 0; i < 50 && rejected.total === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rejected = await ok<RejectedRowsResponse>(s.admin.request('GET', '/api/storage/rejected?table=mp_meterPK'));
    }
    expect(rejected.total).toBe(1);
    expect(rejected.rows[0]).toMatchObject({
      table: 'mp_meterPK',
      row: { symbols: { device: 'm9' }, columns: { power: 'abc' } },
    });
    expect(rejected.rows[0]?.reason).toMatch(/power/);
    const status = await ok<StorageStatus>(s.admin.request('GET', '/api/storage/status'));
    expect(status.ingest.rejected).toBe(1);
    expect(status.questdb).toMatchObject({ managed: false, httpPort: qdb().connection.httpPort });
  });

  it('keeps alert transitions in the alerts table, once each', async () => {
    const alert = {
      id: 'a1',
      source: 'node1',
      key: 'm1/power',
      severity: 'major' as const,
      message: 'power high',
      value: 120,
    };
    await s.service.recordAlert({ ...alert, state: 'raised', time: T0 });
    await s.service.recordAlert({ ...alert, state: 'raised', time: T0 }); // a replay
    await s.service.recordAlert({ ...alert, state: 'cleared', message: 'power normal', value: 80, time: T0 + 60_000 });
    await s.writer.flush();
    await waitForWal(s.sql, ['alerts']);
    const { rows } = await s.sql.query<{
      alert_id: string;
      state: string;
      severity: string;
      source: string;
      key: string;
      message: string;
      value: string;
      ts: Date;
    }>('SELECT * FROM alerts ORDER BY ts');
    expect(
      rows.map((r) => [
        r.alert_id,
        r.state,
        r.severity,
        r.source,
        r.key,
        r.message,
        JSON.parse(r.value),
        r.ts.getTime(),
      ]),
    ).toEqual([
      ['a1', 'raised', 'major', 'node1', 'm1/power', 'power high', 120, T0],
      ['a1', 'cleared', 'major', 'node1', 'm1/power', 'power normal', 80, T0 + 60_000],
    ]);
  });

  it('stops storing when the policy is deleted, keeping what was stored', async () => {
    const before = await count(s.sql, 'SELECT count() FROM "mp_meterPK"');
    expect((await s.admin.request('DELETE', '/api/storage-policies/meterPK')).status).toBe(204);
    await post(c1, m1, { power: 70 }, T0 + 30_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(await count(s.sql, 'SELECT count() FROM "mp_meterPK"')).toBe(before);
    expect((await s.admin.request('GET', '/api/storage-policies/meterPK')).status).toBe(404);
  });
});
