import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRecord } from '@gridflow/runtime/contract';
import type { Alert } from '@gridflow/nodes/stream';
import { createLogger } from '../logger.js';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createAlertService, type AlertService } from './alert-service.js';
import type { AlertStore } from './alert-store.js';
import { alertMigrations } from './migrations.js';
import { createSqliteAlertStore } from './sqlite-alert-store.js';

let db: SqliteDatabase;
let store: AlertStore;
let service: AlertService;
let changes: AlertRecord[];
let logLines: string[];
let copied: Alert[];
let copyFails: boolean;

beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, [alertMigrations]);
  store = createSqliteAlertStore(db);
  changes = [];
  logLines = [];
  copied = [];
  copyFails = false;
  service = createAlertService({
    store,
    logger: createLogger('debug', (l) => logLines.push(l)),
    flows: () => [{ id: 'n1', type: 'threshold alert', z: 'tab-a' }],
    onChange: (r) => changes.push(r),
    history: () => ({
      recordAlert: async (a) => {
        if (copyFails) throw new Error('QuestDB is down');
        copied.push(a);
      },
    }),
    keepHistory: 10,
  });
});
afterEach(() => db.close());

const alert = (id: string, state: Alert['state'], over: Partial<Alert> = {}): Alert => ({
  id,
  source: 'n1',
  key: `k-${id}`,
  state,
  severity: 'major',
  message: `${id} ${state}`,
  value: state === 'raised' ? 50 : 5,
  time: Date.UTC(2026, 0, 1),
  ...over,
});

describe('alert service', () => {
  it('stores a storm of raises and clears of one tick together, in order', async () => {
    for (let i = 0; i < 2000; i++) void service.sink.raise(alert(String(i), 'raised'));
    void service.sink.clear(alert('7', 'cleared'));
    expect(await store.counts()).toEqual({ raised: 0, unacknowledged: 0 }); // nothing written inside the tick
    await service.flush();
    expect(await store.counts()).toEqual({ raised: 1999, unacknowledged: 2000 });
    expect(await store.get('7')).toMatchObject({ state: 'cleared', clearMessage: '7 cleared', flowId: 'tab-a' });
    expect(changes).toHaveLength(2001);
    expect(copied.map((a) => `${a.id}:${a.state}`).slice(-1)).toEqual(['7:cleared']);
  });

  it('stores on its own after the tick, without a flush', async () => {
    void service.sink.raise(alert('a', 'raised', { source: 'elsewhere' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.get('a')).toMatchObject({ state: 'raised', flowId: null });
  });

  it('ignores a repeated raise and warns about the clear of an alert it never saw', async () => {
    void service.sink.raise(alert('a', 'raised'));
    void service.sink.raise(alert('a', 'raised', { message: 'again' }));
    void service.sink.clear(alert('ghost', 'cleared'));
    await service.flush();
    expect(changes.map((c) => c.message)).toEqual(['a raised']);
    expect(logLines.join('')).toContain('node n1 cleared alert ghost (key "k-ghost"), which was never raised here');
  });

  it('keeps the alert when the QuestDB copy fails, and says so', async () => {
    copyFails = true;
    void service.sink.raise(alert('a', 'raised'));
    await service.flush();
    await new Promise((r) => setTimeout(r, 0));
    expect(await store.get('a')).toBeDefined();
    expect(logLines.join('')).toContain(
      'the raised of alert a (node n1, key "k-a") was not copied to QuestDB: QuestDB is down',
    );
  });

  it('clears the raised alerts of restarted nodes with the reason, copying the clear', async () => {
    void service.sink.raise(alert('a', 'raised'));
    void service.sink.raise(alert('b', 'raised', { source: 'n2' }));
    expect(await service.clearFromSources(['n1'], 'cleared: redeployed')).toBe(1);
    expect(await store.get('a')).toMatchObject({
      state: 'cleared',
      clearMessage: 'cleared: redeployed',
      clearValue: null,
    });
    expect((await store.get('b'))?.state).toBe('raised');
    expect(copied.at(-1)).toMatchObject({ id: 'a', state: 'cleared', message: 'cleared: redeployed' });
  });

  it('acknowledges once, reporting whether it changed anything', async () => {
    void service.sink.raise(alert('a', 'raised'));
    const first = await service.acknowledge('a', 'ann');
    const second = await service.acknowledge('a', 'bob');
    expect([first.changed, second.changed]).toEqual([true, false]);
    expect(second.alert.ackedBy).toBe('ann');
    expect(changes.filter((c) => c.acknowledged)).toHaveLength(1);
  });

  it('prunes old history as raises accumulate', async () => {
    for (let i = 0; i < 520; i++) {
      void service.sink.raise(alert(String(i), 'raised'));
      void service.sink.clear(alert(String(i), 'cleared'));
    }
    await service.flush();
    for (let i = 0; i < 520; i++) await store.acknowledge(String(i), 'ann', new Date());
    // The prune runs every 500 raises: the next batch triggers it.
    for (let i = 520; i < 1020; i++) void service.sink.raise(alert(String(i), 'raised'));
    await service.flush();
    expect((await store.list({ limit: 1000, state: 'cleared' })).length).toBe(10);
  });
});
