import { describe, expect, it } from 'vitest';
import type { Device } from '@gridflow/runtime/contract';
import { applyLifecycle, changesNeedReload, eventRowOf, mergeEvents, mergePoints } from './live-apply.js';

const device = (deviceKey: string, productKey = 'pk'): Device => ({
  productKey,
  deviceKey,
  name: deviceKey,
  deviceSecret: 'secret-secret',
  attributes: {},
  state: 'inactive',
  disabled: false,
  lastSeen: null,
  gateway: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('pushed device changes on a page', () => {
  it('applies state, disabled and last seen to the rows shown, and removes deleted ones', () => {
    const rows = [device('a'), device('b'), device('c')];
    const out = applyLifecycle(rows, [
      { productKey: 'pk', deviceKey: 'a', state: 'online', lastSeen: '2026-01-02T00:00:00.000Z' },
      { productKey: 'pk', deviceKey: 'b', disabled: true },
      { productKey: 'pk', deviceKey: 'c', deleted: true },
      { productKey: 'pk', deviceKey: 'zz', state: 'online' },
      { productKey: 'pk', deviceKey: 'a', state: 'offline' },
    ]);
    expect(out.map((d) => [d.deviceKey, d.state, d.disabled, d.lastSeen])).toEqual([
      ['a', 'offline', false, '2026-01-02T00:00:00.000Z'],
      ['b', 'inactive', true, null],
    ]);
    expect(rows[0]?.state).toBe('inactive');
    expect(applyLifecycle(rows, [])).toBe(rows);
  });

  it('asks for a reload when rows come or go in the list scope', () => {
    expect(changesNeedReload([{ productKey: 'pk', deviceKey: 'a', state: 'online' }], {})).toBe(false);
    expect(changesNeedReload([{ productKey: 'pk', deviceKey: 'a', state: 'online' }], { state: 'online' })).toBe(true);
    expect(changesNeedReload([{ productKey: 'pk', deviceKey: 'a', lastSeen: 'x' }], { state: 'online' })).toBe(false);
    expect(changesNeedReload([{ productKey: 'pk', deviceKey: 'n', created: true }], {})).toBe(true);
    expect(changesNeedReload([{ productKey: 'other', deviceKey: 'n', created: true }], { productKey: 'pk' })).toBe(
      false,
    );
    expect(changesNeedReload([{ productKey: 'pk', deviceKey: 'n', deleted: true }], { productKey: 'pk' })).toBe(true);
  });

  it('keeps the newer value of each point, whichever came last', () => {
    const rest = { power: { value: 1, time: 100 }, temp: { value: 20, time: 300 } };
    expect(
      mergePoints(rest, {
        power: { value: 2, time: 200 },
        temp: { value: 19, time: 250 },
        running: { value: true, time: 1 },
      }),
    ).toEqual({
      power: { value: 2, time: 200 },
      temp: { value: 20, time: 300 },
      running: { value: true, time: 1 },
    });
  });

  it('merges stored and pushed events newest first, each once', () => {
    const stored = [
      eventRowOf(['2026-01-01T00:00:02.000Z', 'overheat', '{"temp":90}']),
      eventRowOf(['2026-01-01T00:00:01.000Z', 'overheat', '{"temp":80}']),
    ];
    const t2 = Date.parse('2026-01-01T00:00:02.000Z');
    const rows = mergeEvents(
      stored,
      [
        { event: 'overheat', values: { temp: 95 }, time: t2 + 1000 },
        { event: 'overheat', values: { temp: 90 }, time: t2 },
      ],
      2,
    );
    expect(rows).toEqual([
      { time: t2 + 1000, event: 'overheat', payload: '{"temp":95}' },
      { time: t2, event: 'overheat', payload: '{"temp":90}' },
    ]);
  });
});
