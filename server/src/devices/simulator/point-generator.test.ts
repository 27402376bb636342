import { describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { compileModel } from '../compiled-model.js';
import { createPointGenerator, seededRandom, thousandthsJson } from './point-generator.js';

const model = thingModelSchema.parse({
  id: 'Sim',
  name: 'Sim',
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double', min: 0, max: 500 } },
    { identifier: 'level', name: 'Level', pointType: 'AI', spec: { type: 'int', min: -5, max: 5 } },
    { identifier: 'energy', name: 'Energy', pointType: 'PI', spec: { type: 'double' } },
    { identifier: 'state', name: 'State', pointType: 'DI', spec: { type: 'enum', values: [{ value: 0, label: 'off' }, { value: 2, label: 'on' }] } },
    { identifier: 'running', name: 'Running', pointType: 'DI', spec: { type: 'bool' } },
    { identifier: 'label', name: 'Label', spec: { type: 'string', maxLength: 3 } },
    { identifier: 'since', name: 'Since', spec: { type: 'date' } },
    { identifier: 'phases', name: 'Phases', spec: { type: 'array', items: { type: 'float', min: 0, max: 1 }, maxItems: 2 } },
    { identifier: 'pos', name: 'Pos', spec: { type: 'struct', fields: [{ identifier: 'lat', spec: { type: 'double' }, required: true }] } },
  ],
});

describe('simulated measure points', () => {
  it('are valid against the model every time, in range, with counters that only grow', () => {
    const compiled = compileModel(model);
    const gen = createPointGenerator(model, 7);
    let lastEnergy = -Infinity;
    for (let i = 0; i < 500; i++) {
      const points = gen.next();
      const checked = compiled.checkPoints(structuredClone(points));
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
      expect(points['power']).toBeGreaterThanOrEqual(0);
      expect(points['power']).toBeLessThanOrEqual(500);
      expect(Number.isInteger(points['level'])).toBe(true);
      expect(points['energy'] as number).toBeGreaterThanOrEqual(lastEnergy);
      lastEnergy = points['energy'] as number;
    }
  });

  it('walks rather than jumps, and repeats for the same seed', () => {
    const a = createPointGenerator(model, 3);
    const b = createPointGenerator(model, 3);
    const first = a.next();
    expect(b.next()).toEqual({ ...first, since: expect.any(Number) });
    const next = a.next();
    expect(Math.abs((next['power'] as number) - (first['power'] as number))).toBeLessThanOrEqual(5);
    const r = seededRandom(1);
    expect(r()).not.toBe(r());
  });

  it('writes the same JSON as JSON.stringify of the values, as text', () => {
    const noDate = thingModelSchema.parse({ ...model, measurePoints: model.measurePoints.filter((p) => p.spec.type !== 'date') });
    const values = createPointGenerator(noDate, 11);
    const text = createPointGenerator(noDate, 11);
    for (let i = 0; i < 2000; i++) expect(text.nextJson()).toBe(JSON.stringify(values.next()));
    const withDate = createPointGenerator(model, 5);
    const again = createPointGenerator(model, 5);
    expect(JSON.parse(withDate.nextJson())).toEqual({ ...again.next(), since: expect.any(Number) });
    expect(createPointGenerator(thingModelSchema.parse({ id: 'E', name: 'E' }), 1).nextJson()).toBe('{}');
  });

  it('formats thousandths exactly as JSON.stringify does', () => {
    const random = seededRandom(3);
    const cases = [0, -0, 1, -1, 5, 10, 50, 100, 999, 1000, 1001, 1010, 1100, 123456, -123450, -7, 2 ** 31, 999_999_999_999, 1e15, 2 ** 53 + 2, 0.5];
    for (let i = 0; i < 5000; i++) cases.push(Math.round((random() - 0.5) * 10 ** Math.floor(random() * 13)));
    for (const u of cases) expect(thousandthsJson(u), String(u)).toBe(JSON.stringify(u / 1000));
  });
});
