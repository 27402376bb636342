import { describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import {
  applyPatch,
  defaultPolicy,
  pointColumn,
  pointsOf,
  productTable,
  retentionDays,
  tableLayout,
  viewLayout,
} from './policy.js';

const model = thingModelSchema.parse({
  id: 'Meter',
  name: 'Meter',
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double' }, hasQuality: true },
    { identifier: 'count', name: 'Count', pointType: 'PI', spec: { type: 'int' } },
    { identifier: 'on', name: 'On', pointType: 'DI', spec: { type: 'bool' } },
    { identifier: 'label', name: 'Label', spec: { type: 'string' } },
    { identifier: 'ts', name: 'Device time', spec: { type: 'date' } },
    {
      identifier: 'pos',
      name: 'Pos',
      spec: { type: 'struct', fields: [{ identifier: 'lat', spec: { type: 'double' } }] },
    },
  ],
});
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

describe('storage policy rules', () => {
  it('starts from defaults and merges a patch per point and per tier', () => {
    const base = defaultPolicy('meterPK', T0);
    expect(base).toMatchObject({ store: true, rawRetention: { value: 30, unit: 'DAYS' }, reportIntervalSeconds: 60 });
    expect(base.tiers.map((t) => [t.tier, t.enabled])).toEqual([
      ['1m', true],
      ['1h', true],
      ['1d', true],
    ]);

    const once = applyPatch(
      base,
      {
        points: { label: { store: false } },
        tiers: [{ tier: '1h', enabled: false }],
        rawRetention: { value: 7, unit: 'DAYS' },
      },
      T1,
    );
    expect(once.points).toEqual({ label: { store: false, downsample: true } });
    expect(once.tiers.find((t) => t.tier === '1h')).toEqual({
      tier: '1h',
      enabled: false,
      retention: { value: 2, unit: 'YEARS' },
    });
    expect(once.rawRetention).toEqual({ value: 7, unit: 'DAYS' });
    expect(once.updatedAt).toBe(T1);
    expect(once.createdAt).toBe(T0);

    const twice = applyPatch(
      once,
      { points: { label: { downsample: false } }, rawRetention: null, tiers: [{ tier: '1m', retention: null }] },
      T1,
    );
    expect(twice.points['label']).toEqual({ store: false, downsample: false });
    expect(twice.rawRetention).toBeNull();
    expect(twice.tiers.find((t) => t.tier === '1m')).toEqual({ tier: '1m', enabled: true, retention: null });
    expect(() => applyPatch(base, { tiers: [{ tier: '1m' }, { tier: '1m' }] }, T1)).toThrow(/once/);
  });

  it('names tables safely and keeps keys that differ only in . or - apart', () => {
    expect(productTable('meterPK')).toBe('mp_meterPK');
    const dotted = productTable('a.b');
    expect(dotted).toMatch(/^mp_a_b_[0-9a-f]{6}$/);
    expect(dotted).not.toBe(productTable('a-b'));
    expect(dotted).not.toBe(productTable('a_b'));
    expect(pointColumn('ts')).toBe('p_ts');
    expect(pointColumn('Device')).toBe('p_Device');
    expect(pointColumn('power')).toBe('power');
  });

  it('types each point, leaves out what is not stored and downsamples numbers only', () => {
    const policy = applyPatch(
      defaultPolicy('meterPK', T0),
      { points: { label: { store: false }, count: { downsample: false } } },
      T1,
    );
    const points = pointsOf(model, policy);
    expect(points.map((p) => [p.identifier, p.column, p.type, p.stored, p.downsampled])).toEqual([
      ['power', 'power', 'double', true, true],
      ['count', 'count', 'long', true, false],
      ['on', 'on', 'boolean', true, false],
      ['label', 'label', 'varchar', false, false],
      ['ts', 'p_ts', 'timestamp', true, false],
      ['pos', 'pos', 'varchar', true, false],
    ]);
    const layout = tableLayout('meterPK', points, policy);
    expect(layout).toMatchObject({
      table: 'mp_meterPK',
      symbols: ['device'],
      timestamp: 'ts',
      partitionBy: 'DAY',
      ttl: { value: 30, unit: 'DAYS' },
    });
    expect(layout.columns?.map((c) => c.name)).toEqual(['power', 'power_quality', 'count', 'on', 'p_ts', 'pos']);
    expect(viewLayout('meterPK', points).columns).toEqual([{ name: 'power', type: 'double' }]);
  });

  it('turns retentions into days', () => {
    expect(retentionDays(null)).toBeNull();
    expect(retentionDays({ value: 2, unit: 'WEEKS' })).toBe(14);
    expect(retentionDays({ value: 12, unit: 'HOURS' })).toBe(0.5);
    expect(retentionDays({ value: 1, unit: 'YEARS' })).toBe(365);
  });
});
