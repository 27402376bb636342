import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Device } from '@gridflow/runtime/contract';
import { useQuestDb, waitForWal } from '../support/questdb.js';
import {
  connect,
  count,
  createDevices,
  createProduct,
  fastPoster,
  meterModel,
  ok,
  patchPolicy,
  startStorageServer,
  type StorageTestServer,
} from './storage-support.js';

/**
 * The promise of the write path: QuestDB killed (SIGKILL) and restarted while devices keep posting,
 * and afterwards the table holds exactly what was sent, nothing missing and nothing twice.
 */

const qdb = useQuestDb();
let s: StorageTestServer;
let devices: Device[];
let clients: MqttClient[];
const DEVICES = 5;
const PER_DEVICE = 300;
const T0 = Date.UTC(2026, 2, 1);

beforeAll(async () => {
  s = await startStorageServer(qdb(), { writer: { flushIntervalMs: 20, batchRows: 200 } });
  await ok(s.admin.request('POST', '/api/thing-models', meterModel), 201);
  await createProduct(s.admin, 'crashPK');
  await patchPolicy(s.admin, 'crashPK', {});
  devices = await createDevices(
    s.admin,
    'crashPK',
    Array.from({ length: DEVICES }, (_, i) => `d${i}`),
  );
  clients = await Promise.all(devices.map((d) => connect(s, d)));
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.endAsync(true)));
  await s?.close();
});

const until = async (check: () => boolean, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('QuestDB restart in the middle of ingest', () => {
  it('loses nothing and duplicates nothing', async () => {
    let sent = 0;
    const posting = Promise.all(
      devices.map(async (d, k) => {
        const postPoints = await fastPoster(clients[k] as MqttClient, d);
        for (let i = 0; i < PER_DEVICE; i++) {
          await postPoints({ power: k * 1000 + i, count: i }, T0 + i * 1000);
          sent++;
          // Spread over several seconds, so that the kill falls in the middle of the posting.
          await new Promise((r) => setTimeout(r, 5));
        }
      }),
    );
    await until(
      () => sent >= (DEVICES * PER_DEVICE) / 4 && s.writer.stats().written > 0,
      'the first rows to be stored',
    );
    const writtenBeforeKill = s.writer.stats().written;
    await qdb().kill();
    await until(() => sent >= (DEVICES * PER_DEVICE) / 2, 'devices to post while QuestDB is down');
    const restarted = qdb().restart();
    await posting;
    await restarted;
    await s.writer.flush();
    await waitForWal(s.sql, ['mp_crashPK'], 60_000);

    const stats = s.writer.stats();
    expect(writtenBeforeKill).toBeGreaterThan(0);
    expect(writtenBeforeKill).toBeLessThan(DEVICES * PER_DEVICE);
    expect(stats.retried).toBeGreaterThan(0);
    expect(stats.rejected).toBe(0);
    expect(sent).toBe(DEVICES * PER_DEVICE);
    expect(await count(s.sql, 'SELECT count() FROM "mp_crashPK"')).toBe(DEVICES * PER_DEVICE);
    expect(await count(s.sql, 'SELECT count() FROM (SELECT DISTINCT device, ts FROM "mp_crashPK")')).toBe(
      DEVICES * PER_DEVICE,
    );
    for (let k = 0; k < DEVICES; k++) {
      const { rows } = await s.sql.query<{ n: number; total: number; first: number; last: number }>(
        'SELECT count() n, sum(power) total, min(count) first, max(count) last FROM "mp_crashPK" WHERE device = $1',
        [`d${k}`],
      );
      const sumOfValues = PER_DEVICE * k * 1000 + (PER_DEVICE * (PER_DEVICE - 1)) / 2;
      expect(rows[0]).toEqual({ n: PER_DEVICE, total: sumOfValues, first: 0, last: PER_DEVICE - 1 });
    }
  }, 180_000);
});
