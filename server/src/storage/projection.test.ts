import { describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { applyPatch, defaultPolicy, pointsOf } from './policy.js';
import { projectStorage, rawRowBytes, tierRowBytes } from './projection.js';

const model = thingModelSchema.parse({
  id: 'M',
  name: 'M',
  measurePoints: [
    { identifier: 'p', name: 'P', pointType: 'AI', spec: { type: 'double' } },
    { identifier: 'n', name: 'N', pointType: 'PI', spec: { type: 'int' } },
    { identifier: 'on', name: 'On', pointType: 'DI', spec: { type: 'bool' } },
  ],
});
const T0 = '2026-01-01T00:00:00.000Z';

describe('storage projection', () => {
  const policy = defaultPolicy('pk', T0);
  const points = pointsOf(model, policy);

  it('sizes raw rows from the column widths and tier rows from six aggregates per point', () => {
    expect(rawRowBytes(points)).toBe(8 + 4 + 8 + 8 + 1);
    expect(tierRowBytes(points)).toBe(8 + 4 + 2 * 6 * 8);
  });

  it('projects per day from the report interval and the device count, with each retention', () => {
    const p = projectStorage({ policy, points, devices: 10 });
    expect(p.basis).toBe('reportInterval');
    expect(p.rowsPerDevicePerDay).toBe(1440);
    const raw = p.items.find((i) => i.source === 'raw');
    expect(raw).toEqual({
      source: 'raw',
      table: 'mp_pk',
      rowsPerDay: 14_400,
      bytesPerDay: 14_400 * 29,
      retentionDays: 30,
      bytesAtRetention: 14_400 * 29 * 30,
    });
    const minute = p.items.find((i) => i.source === '1m');
    // one report a minute: the 1m tier has as many rows as raw data
    expect(minute).toMatchObject({
      table: 'mp_pk_1m',
      rowsPerDay: 14_400,
      bytesPerDay: 14_400 * 108,
      retentionDays: 90,
    });
    expect(p.items.find((i) => i.source === '1d')).toMatchObject({
      rowsPerDay: 10,
      retentionDays: null,
      bytesAtRetention: null,
    });
    expect(p.totalBytesPerDay).toBe(p.items.reduce((s, i) => s + i.bytesPerDay, 0));
  });

  it('prefers a measured rate, drops disabled tiers and projects nothing when storing is off', () => {
    const fewer = applyPatch(policy, { tiers: [{ tier: '1m', enabled: false }] }, T0);
    const measured = projectStorage({ policy: fewer, points, devices: 2, measuredRowsPerDevicePerDay: 10 });
    expect(measured.basis).toBe('measured');
    expect(measured.items.map((i) => [i.source, i.rowsPerDay])).toEqual([
      ['raw', 20],
      ['1h', 20],
      ['1d', 2],
    ]);
    const off = projectStorage({ policy: applyPatch(policy, { store: false }, T0), points, devices: 2 });
    expect(off.items).toEqual([]);
    expect(off.totalBytesPerDay).toBe(0);
  });
});
