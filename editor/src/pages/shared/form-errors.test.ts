import { describe, expect, it } from 'vitest';
import { thingModelSchema } from '@gridflow/runtime/contract';
import { requestFieldErrors, validate, within } from './form-errors.js';
import { PageRequestError } from './http.js';

describe('form errors by field', () => {
  it('keys zod issues by dotted path, as the server does', () => {
    const r = validate(thingModelSchema, {
      id: '9bad',
      name: 'M',
      measurePoints: [{ identifier: 'p', name: 'P', pointType: 'AI', spec: { type: 'double', min: 5, max: 1 } }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors['id']).toMatch(/start with a letter/);
    expect(r.errors['measurePoints.0.spec.max']).toBe('min must not exceed max');
    expect(within(r.errors, 'measurePoints.0')).toEqual({ 'spec.max': 'min must not exceed max' });
  });

  it('puts an error on a list itself under the empty key of within()', () => {
    expect(within({ outputs: 'parameter identifiers must be distinct', 'outputs.1.name': 'x' }, 'outputs')).toEqual({
      '': 'parameter identifiers must be distinct',
      '1.name': 'x',
    });
  });

  it('reads the fields of a VALIDATION answer, else gives the message to the whole form', () => {
    const err = new PageRequestError('bad', 400, 'VALIDATION', [{ path: 'name', message: 'must not be empty' }]);
    expect(requestFieldErrors(err)).toEqual({ name: 'must not be empty' });
    expect(requestFieldErrors(new Error('boom'))).toEqual({ '': 'boom' });
  });
});
