import { describe, expect, it } from 'vitest';
import { dataTypes, thingModelSchema } from '@gridflow/runtime/contract';
import { describeSpec, freshIdentifier, newAttribute, newEvent, newModel, newPoint, newService, numberOrUndefined, specOfType } from './draft.js';

describe('thing model drafts', () => {
  it('makes a default spec of every data type that the contract accepts', () => {
    for (const type of dataTypes) {
      const model = { ...newModel(), id: 'm1', name: 'M', measurePoints: [{ ...newPoint(newModel()), pointType: 'Generic' as const, spec: specOfType(type) }] };
      const parsed = thingModelSchema.safeParse(model);
      expect(parsed.success, `${type}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('keeps the unit when switching between numeric types', () => {
    expect(specOfType('float', { type: 'int', unit: 'kW' })).toEqual({ type: 'float', unit: 'kW' });
    expect(specOfType('bool', { type: 'int', unit: 'kW' })).toEqual({ type: 'bool' });
  });

  it('gives new elements identifiers unused across all kinds, and the model validates', () => {
    let m = { ...newModel(), id: 'inverter', name: 'Inverter' };
    m = { ...m, measurePoints: [newPoint(m)] };
    m = { ...m, measurePoints: [...(m.measurePoints ?? []), newPoint(m)] };
    m = { ...m, attributes: [newAttribute(m)], events: [newEvent(m)], services: [newService(m)] };
    expect(m.measurePoints?.map((p) => p.identifier)).toEqual(['point1', 'point2']);
    expect(freshIdentifier(m, 'point')).toBe('point3');
    expect(thingModelSchema.safeParse(m).success).toBe(true);
  });

  it('reads number inputs', () => {
    expect(numberOrUndefined('')).toBeUndefined();
    expect(numberOrUndefined('1e3')).toBe(1000);
    expect(numberOrUndefined('abc')).toBeUndefined();
  });

  it('describes specs in one line', () => {
    expect(describeSpec({ type: 'double', unit: 'kW', min: 0, max: 100 })).toBe('double [0…100] kW');
    expect(describeSpec({ type: 'enum', values: [{ value: 0, label: 'off' }] })).toBe('enum (0=off)');
  });
});
