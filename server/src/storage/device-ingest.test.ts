import { describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import type { MeasurePointsMessage } from '@gridflow/nodes/device';
import { measureRow } from './device-ingest.js';
import { applyPatch, defaultPolicy, pointsOf, productTable } from './policy.js';

const model = thingModelSchema.parse({
  id: 'M',
  name: 'M',
  measurePoints: [
    { identifier: 'power', name: 'P', pointType: 'AI', spec: { type: 'double' }, hasQuality: true },
    { identifier: 'since', name: 'S', spec: { type: 'date' } },
    { identifier: 'pos', name: 'Pos', spec: { type: 'struct', fields: [{ identifier: 'lat', spec: { type: 'double' } }] } },
    { identifier: 'ts', name: 'Device ts', spec: { type: 'int' } },
    { identifier: 'note', name: 'N', spec: { type: 'string' } },
  ],
});
const policy = applyPatch(defaultPolicy('pk', '2026-01-01T00:00:00Z'), { points: { note: { store: false } } }, '2026-01-01T00:00:00Z');
const points = pointsOf(model, policy);
const active = { policy, table: productTable('pk'), points: new Map(points.map((p) => [p.identifier, p])) };
const message = (pts: Record<string, unknown>, quality?: Record<string, number>): MeasurePointsMessage => ({
  kind: 'measurepoints',
  productKey: 'pk',
  deviceKey: 'd1',
  time: 1000,
  points: pts,
  backfill: false,
  ...(quality ? { quality } : {}),
});

describe('measure point rows', () => {
  it('types each stored point for its column and adds quality codes', () => {
    const row = measureRow(active, message({ power: 1.5, since: 5000, pos: { lat: 1 }, ts: 7, note: 'x' }, { power: 2 }));
    expect(row).toEqual({
      table: 'mp_pk',
      symbols: { device: 'd1' },
      columns: { power: 1.5, power_quality: 2, since: new Date(5000), pos: '{"lat":1}', p_ts: 7 },
      types: { power: 'double', power_quality: 'int', since: 'timestamp', pos: 'varchar', p_ts: 'long' },
      ts: 1000,
    });
  });

  it('says when a point is unknown, or leaves it out when asked to', () => {
    expect(measureRow(active, message({ power: 1, volts: 2 }))).toBe('unknown-point');
    expect(measureRow(active, message({ power: 1, volts: 2 }), true)).toMatchObject({ columns: { power: 1 } });
  });

  it('makes no row when nothing of the message is stored', () => {
    expect(measureRow(active, message({ note: 'only this' }))).toBeUndefined();
  });
});
