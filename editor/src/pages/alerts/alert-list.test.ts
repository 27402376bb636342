import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '@gridflow/runtime/contract';
import { applyAlertUpdates } from './alert-list.js';

function alert(id: string, patch: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    source: 'n1',
    flowId: null,
    key: `pump-${id}`,
    severity: 'major',
    state: 'raised',
    message: 'too hot',
    clearMessage: null,
    value: 91,
    clearValue: null,
    raisedAt: `2026-01-01T00:00:0${id}.000Z`,
    clearedAt: null,
    acknowledged: false,
    ackedBy: null,
    ackedAt: null,
    ...patch,
  };
}

describe('live alert list', () => {
  it('adds new alerts newest first and replaces known ones', () => {
    const list = applyAlertUpdates([alert('1')], [alert('2'), alert('1', { acknowledged: true, ackedBy: 'ann' })], {});
    expect(list.map((a) => a.id)).toEqual(['2', '1']);
    expect(list[1]?.ackedBy).toBe('ann');
  });

  it('drops alerts that leave the filter (cleared while showing raised ones)', () => {
    const list = applyAlertUpdates([alert('1'), alert('2')], [alert('1', { state: 'cleared' })], { state: 'raised' });
    expect(list.map((a) => a.id)).toEqual(['2']);
  });

  it('keeps the newer record when an older one arrives late', () => {
    const list = applyAlertUpdates([alert('1', { state: 'cleared', acknowledged: true })], [alert('1')], {});
    expect(list[0]?.state).toBe('cleared');
  });

  it('filters by severity and search text', () => {
    const list = applyAlertUpdates([], [alert('1', { severity: 'info' }), alert('2', { key: 'fan-2' })], { severities: ['major'], search: 'FAN' });
    expect(list.map((a) => a.id)).toEqual(['2']);
  });
});
