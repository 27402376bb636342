import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Device } from '@gridflow/runtime/contract';
import { useQuestDb, waitForValue, waitForWal } from '../support/questdb.js';
import {
  connect,
  count,
  createDevices,
  createProduct,
  meterModel,
  ok,
  patchPolicy,
  startStorageServer,
  type StorageTestServer,
} from './storage-support.js';

/**
 * Lossless ingest (questdb ackAfterCommit): a QoS 1 measure point post is acknowledged (PUBACK) only once QuestDB has
 * committed its row, so a device never drops a message that a crash of Gridflow could still lose.
 * Posts of products that store nothing are acknowledged at once.
 */

const qdb = useQuestDb();
let s: StorageTestServer;
let stored: Device;
let plain: Device;
const clients: MqttClient[] = [];
const T0 = Date.UTC(2026, 3, 1);
// Long: a held PUBACK must not wait for a batch to fill (the device sends no more until answered).
const FLUSH_MS = 3000;

beforeAll(async () => {
  s = await startStorageServer(qdb(), { ackAfterCommit: true, writer: { flushIntervalMs: FLUSH_MS, batchRows: 1000 } });
  await ok(s.admin.request('POST', '/api/thing-models', meterModel), 201);
  await createProduct(s.admin, 'ackPK');
  await patchPolicy(s.admin, 'ackPK', {});
  await createProduct(s.admin, 'plainPK');
  [stored] = (await createDevices(s.admin, 'ackPK', ['a1'])) as [Device];
  [plain] = (await createDevices(s.admin, 'plainPK', ['p1'])) as [Device];
}, 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await s?.close();
}, 60_000);

const topicOf = (d: Device) => `/sys/${d.productKey}/${d.deviceKey}/thing/measurepoint/post`;
const body = (id: string, points: Record<string, unknown>, time: number) =>
  JSON.stringify({ id, version: '1.0', method: 'thing.measurepoint.post', params: { measurepoints: points, time } });

async function device(d: Device): Promise<MqttClient> {
  const c = await connect(s, d);
  clients.push(c);
  return c;
}

/** Publishes with QoS 1; resolves on the PUBACK with what the writer had committed by then. */
async function postAcked(c: MqttClient, d: Device, id: string, time: number) {
  const started = Date.now();
  await c.publishAsync(topicOf(d), body(id, { power: 1.5, count: 7 }, time), { qos: 1 });
  return { ms: Date.now() - started, written: s.writer.stats().written };
}

const rowsAt = (d: Device, time: number) =>
  count(s.sql, `SELECT count() FROM "mp_${d.productKey}" WHERE device = $1 AND ts = $2`, [
    d.deviceKey,
    new Date(time).toISOString(),
  ]);

describe('QoS 1 PUBACK after the commit', () => {
  it('acknowledges a stored post once its row is committed, without waiting for the batch to fill', async () => {
    const a = await device(stored);
    const before = s.writer.stats().written;
    const ack = await postAcked(a, stored, 's1', T0);
    expect(ack.written).toBe(before + 1);
    expect(ack.ms).toBeLessThan(FLUSH_MS / 2);
    await waitForValue(s.sql, `SELECT count() FROM "mp_ackPK" WHERE device = 'a1'`, [], 1);
  }, 60_000);

  it('holds the PUBACK on aedes\'s own path too (a publish someone subscribed to)', async () => {
    const a = await device(stored);
    // The device listening to its own post topic sends its posts through aedes, not the fast path.
    await a.subscribeAsync(topicOf(stored), { qos: 0 });
    const before = s.writer.stats().written;
    const ack = await postAcked(a, stored, 's2', T0 + 1000);
    expect(ack.written).toBe(before + 1);
    await a.unsubscribeAsync(topicOf(stored));
  }, 60_000);

  it('holds PUBACKs while QuestDB is down (not those of posts that store nothing), then sends them in order', async () => {
    const a = await device(stored);
    await qdb().kill();
    const acked: number[] = [];
    const posts = [0, 1, 2].map((i) =>
      a.publishAsync(topicOf(stored), body(`down${i}`, { power: i, count: i }, T0 + 10_000 + i), { qos: 1 }).then(() => {
        acked.push(i);
      }),
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(s.writer.stats().state).toBe('retrying');
    // A post whose product stores nothing does not wait for QuestDB.
    const before = s.writer.stats().written;
    const plainAck = await postAcked(await device(plain), plain, 'p1', T0);
    expect(plainAck.written).toBe(before);
    expect(acked).toEqual([]);
    await qdb().restart();
    await Promise.all(posts);
    expect(acked).toEqual([0, 1, 2]);
    await waitForWal(s.sql, ['mp_ackPK'], 60_000);
    for (const i of [0, 1, 2]) expect(await rowsAt(stored, T0 + 10_000 + i)).toBe(1);
  }, 120_000);
});
