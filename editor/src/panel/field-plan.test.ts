import { describe, expect, it } from 'vitest';
import { humanise, planFields } from './field-plan.js';

describe('planFields', () => {
  it('picks a widget per property and pairs typed inputs with their companions', () => {
    const plans = planFields(
      {
        type: 'object',
        properties: {
          func: { type: 'string', minLength: 1 },
          outputs: { type: 'integer', minimum: 0 },
          name: { type: 'string' },
          payload: { type: 'string' },
          payloadType: { type: 'string', enum: ['str', 'num', 'json'] },
          once: { type: 'boolean' },
          mode: { type: 'string', enum: ['a', 'b'] },
          broker: { type: 'string', 'x-config-type': 'mqtt-broker' },
          rules: { type: 'array', items: { type: 'object', properties: { t: { type: 'string' } } } },
          headers: { type: 'object' },
          timeout: { anyOf: [{ type: 'number' }, { type: 'null' }] },
        },
        required: ['func'],
      },
      { id: 'n', type: 'function', x: 1, wires: [], extra: 'kept' },
    );
    const kinds = Object.fromEntries(plans.map((p) => [p.key, p.field.kind]));
    expect(plans[0]?.key).toBe('name');
    expect(kinds).toEqual({
      name: 'text',
      func: 'code',
      outputs: 'number',
      payload: 'typed',
      once: 'boolean',
      mode: 'select',
      broker: 'config',
      rules: 'list',
      headers: 'json',
      timeout: 'number',
      extra: 'text',
    });
    expect(plans.find((p) => p.key === 'func')?.required).toBe(true);
  });

  it('makes labels readable', () => {
    expect(humanise('payloadType')).toBe('Payload type');
    expect(humanise('max_retries')).toBe('Max retries');
  });
});
