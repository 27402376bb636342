import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertRecord } from '@gridflow/runtime/contract';
import { createAlertBatcher } from './alert-events.js';

const alert = (id: string, state: AlertRecord['state'] = 'raised'): AlertRecord => ({
  id,
  source: 'n1',
  flowId: null,
  key: 'k',
  severity: 'info',
  state,
  message: 'm',
  clearMessage: null,
  value: 1,
  clearValue: null,
  raisedAt: '2026-01-01T00:00:00.000Z',
  clearedAt: null,
  acknowledged: false,
  ackedBy: null,
  ackedAt: null,
});

afterEach(() => vi.useRealTimers());

describe('alert batcher', () => {
  it('sends one event per interval with the latest state of each alert', () => {
    vi.useFakeTimers();
    const sent: AlertRecord[][] = [];
    const b = createAlertBatcher({ intervalMs: 100, wanted: () => true, emit: (a) => sent.push(a) });
    b.offer(alert('a'));
    b.offer(alert('b'));
    b.offer(alert('a', 'cleared'));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent.map((batch) => batch.map((a) => `${a.id}:${a.state}`))).toEqual([['b:raised', 'a:cleared']]);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
    b.close();
  });

  it('keeps nothing while no client listens and bounds a burst', () => {
    vi.useFakeTimers();
    let listening = false;
    const sent: AlertRecord[][] = [];
    const b = createAlertBatcher({ intervalMs: 100, wanted: () => listening, emit: (a) => sent.push(a) });
    b.offer(alert('x'));
    vi.advanceTimersByTime(200);
    expect(sent).toEqual([]);
    listening = true;
    for (let i = 0; i < 1005; i++) b.offer(alert(String(i)));
    vi.advanceTimersByTime(100);
    expect(sent[0]).toHaveLength(1000);
    expect(sent[0]?.[0]?.id).toBe('5');
    expect(b.dropped()).toBe(5);
    b.close();
  });
});
