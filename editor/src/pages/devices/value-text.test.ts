import { describe, expect, it } from 'vitest';
import { initialValueText, parseValueText, readValues } from './value-text.js';

describe('value inputs', () => {
  it('reads each data type', () => {
    expect(parseValueText({ type: 'int' }, ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseValueText({ type: 'int' }, '4.2')).toEqual({ ok: false, error: 'give a whole number' });
    expect(parseValueText({ type: 'double' }, '-1.5e2')).toEqual({ ok: true, value: -150 });
    expect(parseValueText({ type: 'double' }, '')).toMatchObject({ ok: false });
    expect(parseValueText({ type: 'bool' }, 'true')).toEqual({ ok: true, value: true });
    expect(parseValueText({ type: 'string', maxLength: 10 }, ' a ')).toEqual({ ok: true, value: ' a ' });
    expect(parseValueText({ type: 'date' }, '1700000000000')).toEqual({ ok: true, value: 1_700_000_000_000 });
    expect(parseValueText({ type: 'date' }, 'yesterday')).toMatchObject({ ok: false });
    expect(parseValueText({ type: 'struct', fields: [{ identifier: 'a', spec: { type: 'int' }, required: false }] }, '{"a":1}')).toEqual({
      ok: true,
      value: { a: 1 },
    });
    expect(parseValueText({ type: 'array', items: { type: 'int' }, maxItems: 3 }, '{"a":1}')).toEqual({ ok: false, error: 'give a JSON array' });
  });

  it('reads a set of inputs: leaves out empty optional ones, names the bad and missing ones', () => {
    const specs = [
      { identifier: 'power', spec: { type: 'double' as const }, required: true },
      { identifier: 'mode', spec: { type: 'int' as const }, required: false },
      { identifier: 'note', spec: { type: 'string' as const, maxLength: 100 }, required: false },
      { identifier: 'count', spec: { type: 'int' as const }, required: true },
    ];
    expect(readValues(specs, { power: '12.5', mode: '', note: '', count: 'x' })).toEqual({
      values: { power: 12.5 },
      errors: { count: 'give a whole number' },
    });
    expect(readValues(specs, {}).errors).toEqual({ power: 'required', count: 'required' });
  });

  it('starts inputs with a value of the type', () => {
    expect(initialValueText({ type: 'enum', values: [{ value: 3, label: 'x' }] })).toBe('3');
    expect(initialValueText({ type: 'struct', fields: [{ identifier: 'a', spec: { type: 'int' }, required: false }] })).toBe('{}');
  });
});
