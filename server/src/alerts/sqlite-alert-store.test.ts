import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { UnknownAlertError, type AlertStore, type NewAlert } from './alert-store.js';
import { alertMigrations } from './migrations.js';
import { createSqliteAlertStore } from './sqlite-alert-store.js';

let db: SqliteDatabase;
let store: AlertStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, [alertMigrations]);
  store = createSqliteAlertStore(db);
});
afterEach(() => db.close());

const raise = (id: string, over: Partial<NewAlert> = {}) =>
  store.insert({
    id,
    source: 'n1',
    flowId: 'tab1',
    key: `pump-${id}`,
    severity: 'warning',
    message: `pump-${id} is too hot`,
    value: 42,
    raisedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  });

describe('sqlite alert store', () => {
  it('stores a raise once and clears it once', async () => {
    expect(await raise('a')).toBe(true);
    expect(await raise('a', { message: 'again' })).toBe(false);
    const cleared = await store.clear('a', {
      message: 'ok now',
      value: { t: 3.5 },
      clearedAt: new Date('2026-01-01T00:05:00Z'),
    });
    expect(cleared).toMatchObject({
      id: 'a',
      state: 'cleared',
      message: 'pump-a is too hot',
      clearMessage: 'ok now',
      clearValue: { t: 3.5 },
      value: 42,
    });
    expect(cleared?.clearedAt).toBe('2026-01-01T00:05:00.000Z');
    expect(await store.clear('a', { message: 'twice', value: 1, clearedAt: new Date() })).toBeUndefined();
    expect((await store.get('a'))?.clearMessage).toBe('ok now');
  });

  it('keeps the first acknowledgement and names unknown alerts', async () => {
    await raise('a');
    const first = await store.acknowledge('a', 'ann', new Date('2026-01-02T00:00:00Z'));
    const second = await store.acknowledge('a', 'bob', new Date('2026-01-03T00:00:00Z'));
    expect(first).toMatchObject({ acknowledged: true, ackedBy: 'ann', ackedAt: '2026-01-02T00:00:00.000Z' });
    expect(second).toEqual(first);
    await expect(store.acknowledge('nope', 'ann', new Date())).rejects.toBeInstanceOf(UnknownAlertError);
  });

  it('filters, searches literally and pages newest first', async () => {
    for (const [i, severity] of (['info', 'warning', 'major', 'critical', 'major'] as const).entries()) {
      await raise(String(i), {
        severity,
        source: i % 2 ? 'odd' : 'even',
        message: i === 3 ? '100% over' : `value ${i}`,
      });
    }
    await store.clear('1', { message: 'back', value: 0, clearedAt: new Date() });
    await store.acknowledge('2', 'ann', new Date());
    const ids = async (f: Parameters<AlertStore['list']>[0]) => (await store.list(f)).map((a) => a.id);

    expect(await ids({ limit: 10 })).toEqual(['4', '3', '2', '1', '0']);
    expect(await ids({ limit: 10, state: 'raised' })).toEqual(['4', '3', '2', '0']);
    expect(await ids({ limit: 10, state: 'cleared' })).toEqual(['1']);
    expect(await ids({ limit: 10, severities: ['major', 'critical'] })).toEqual(['4', '3', '2']);
    expect(await ids({ limit: 10, acknowledged: true })).toEqual(['2']);
    expect(await ids({ limit: 10, acknowledged: false, source: 'even' })).toEqual(['4', '0']);
    // % and _ are text, not LIKE wildcards.
    expect(await ids({ limit: 10, search: '100%' })).toEqual(['3']);
    expect(await ids({ limit: 10, search: '_' })).toEqual([]);
    expect(await ids({ limit: 10, search: 'pump-2' })).toEqual(['2']);
    expect(await ids({ limit: 2 })).toEqual(['4', '3']);
    expect(await ids({ limit: 2, before: '3' })).toEqual(['2', '1']);
    await expect(store.list({ limit: 2, before: 'missing' })).rejects.toThrow('no alert with id "missing"');
    expect(await store.counts()).toEqual({ raised: 4, unacknowledged: 4 });
    expect((await store.raised(['odd'])).map((a) => a.id)).toEqual(['3']);
  });

  it('stores values JSON cannot hold as text', async () => {
    await raise('big', { value: 10n });
    expect((await store.get('big'))?.value).toBe('10');
  });

  it('prunes only the oldest cleared and acknowledged alerts beyond the limit', async () => {
    for (let i = 0; i < 6; i++) {
      await raise(String(i));
      if (i !== 4) await store.clear(String(i), { message: 'ok', value: 0, clearedAt: new Date() });
      if (i !== 5) await store.acknowledge(String(i), 'ann', new Date());
    }
    // Prunable: 0 1 2 3 (4 is still raised, 5 is unacknowledged).
    expect(await store.prune(2)).toBe(2);
    expect((await store.list({ limit: 10 })).map((a) => a.id)).toEqual(['5', '4', '3', '2']);
    expect(await store.prune(2)).toBe(0);
    expect(await store.prune(10)).toBe(0);
  });
});
