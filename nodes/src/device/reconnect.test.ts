import { describe, expect, it } from 'vitest';
import { backoffDelay, connectionStatus, createReconnector, type ConnectionState } from './reconnect.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the maximum, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, { initialDelayMs: 100, maxDelayMs: 1000 }, mid))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(0, { initialDelayMs: 100 }, () => 0)).toBe(80);
    expect(backoffDelay(0, { initialDelayMs: 100 }, () => 1)).toBe(120);
    expect(backoffDelay(99, { initialDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(1000);
  });
});

describe('createReconnector', () => {
  it('retries a failing open with growing delays, then runs onOpen on every connection', async () => {
    let opens = 0;
    const states: ConnectionState[] = [];
    const onOpens: number[] = [];
    const r = createReconnector<number>({
      open: async () => {
        opens++;
        if (opens < 3) throw new Error(`refused ${opens}`);
        return opens;
      },
      close: () => undefined,
      onOpen: (c) => void onOpens.push(c),
      onState: (s) => states.push(s),
      initialDelayMs: 10,
      maxDelayMs: 40,
    });
    r.start();
    const conn = await r.ready();
    expect(conn).toBe(3);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'disconnected', 'connecting', 'disconnected', 'connecting', 'connected']);
    const retries = states.filter((s): s is Extract<ConnectionState, { state: 'disconnected' }> => s.state === 'disconnected');
    expect(retries[0]?.error).toBe('refused 1');
    expect((retries[1]?.retryInMs ?? 0) > (retries[0]?.retryInMs ?? 0)).toBe(true);
    // A loss reconnects and runs onOpen again (where connectors subscribe).
    r.lost(3, new Error('reset'));
    r.lost(3, new Error('reported twice'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.connection).toBe(4);
    expect(onOpens).toEqual([3, 4]);
    await r.stop();
    expect(r.state.state).toBe('closed');
    await expect(r.ready()).rejects.toThrow(/closed/);
  });

  it('gives up on a close that never calls back, and does not connect after stop', async () => {
    let opened = 0;
    const r = createReconnector<number>({
      open: async () => ++opened,
      close: () => new Promise<void>(() => undefined),
      closeTimeoutMs: 20,
      initialDelayMs: 5,
    });
    r.start();
    await r.ready();
    r.lost(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(r.connection).toBe(2);
    await r.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(opened).toBe(2);
  });

  it('turns states into Node-RED style statuses', () => {
    expect(connectionStatus({ state: 'connected' })).toEqual({ fill: 'green', shape: 'dot', text: 'connected' });
    expect(connectionStatus({ state: 'disconnected', error: 'ECONNREFUSED', retryInMs: 2400 })).toEqual({
      fill: 'red',
      shape: 'ring',
      text: 'disconnected: ECONNREFUSED; retry in 2 s',
    });
  });
});
