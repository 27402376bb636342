import { describe, expect, it } from 'vitest';
import { validateSchema } from './json-schema.js';

describe('validateSchema', () => {
  const schema = {
    type: 'object',
    properties: {
      repeat: { type: 'number', minimum: 0 },
      once: { type: 'boolean' },
      mode: { type: 'string', enum: ['a', 'b'] },
      url: { type: 'string', minLength: 1 },
      list: { type: 'array', items: { type: 'integer' }, maxItems: 2 },
      maybe: { anyOf: [{ type: 'number' }, { type: 'null' }] },
    },
    required: ['url'],
  };

  it('reports type, range, enum, length, items and required problems with their paths', () => {
    const issues = validateSchema(schema, { repeat: -1, once: 'yes', mode: 'c', list: [1, 2.5, 3], maybe: 'x' });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'url: is required',
      'repeat: must be >= 0',
      'once: expected boolean, got string',
      'mode: must be one of "a", "b"',
      'list: allows at most 2 items',
      'list.1: expected integer, got number',
      'maybe: expected number, got string',
    ]);
  });

  it('accepts Node-RED style strings for numbers and booleans in lenient mode, and still checks ranges', () => {
    const value = { url: 'x', repeat: '', once: 'false' };
    expect(validateSchema(schema, value, '', { lenient: true })).toEqual([]);
    expect(validateSchema(schema, value)).toHaveLength(2);
    expect(validateSchema(schema, { url: 'x', repeat: '-5' }, '', { lenient: true })).toEqual([{ path: 'repeat', message: 'must be >= 0' }]);
  });
});
