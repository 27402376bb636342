import { describe, expect, it } from 'vitest';
import { validateNode } from './validate-node.js';
import { findTypedInputs } from './typed-input.js';
import type { FlowDoc, NodeTypeInfo } from './types.js';

const inject: NodeTypeInfo = {
  type: 'inject',
  category: 'core',
  inputs: 0,
  outputs: 1,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      repeat: { type: 'string', pattern: '^$|^\\d+(\\.\\d+)?$' },
      payload: { type: 'string' },
      payloadType: { type: 'string', enum: ['str', 'num', 'json', 'date', 'msg'] },
      broker: { type: 'string', 'x-config-type': 'mqtt-broker' },
      rules: {
        type: 'array',
        items: { type: 'object', properties: { t: { type: 'string', enum: ['set', 'delete'] }, v: { type: 'string' }, vt: { type: 'string' } } },
      },
    },
    required: ['payloadType', 'broker'],
    additionalProperties: false,
  },
  defaults: { payloadType: 'date' },
};

describe('validateNode', () => {
  it('accepts a valid node and ignores layout fields', () => {
    const doc: FlowDoc = [{ id: 'b', type: 'mqtt-broker' }];
    const node = { id: 'n', type: 'inject', z: 't', x: 1, y: 2, wires: [[]], payload: '5', payloadType: 'num', broker: 'b' };
    expect(validateNode(node, inject, doc)).toEqual([]);
  });

  it('reports schema, typed input, nested rule and config reference problems with the property', () => {
    const node = {
      id: 'n',
      type: 'inject',
      repeat: 'soon',
      payload: 'abc',
      payloadType: 'num',
      broker: 'missing',
      rules: [{ t: 'set', v: '{bad', vt: 'json' }],
    };
    const problems = validateNode(node, inject, []);
    const byProp = problems.map((p) => `${p.property}: ${p.message}`);
    expect(byProp).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^repeat: repeat must match/),
        expect.stringMatching(/^payload: payload: "abc" is not a number/),
        expect.stringMatching(/^rules: rules\.0\.v: invalid JSON/),
        expect.stringMatching(/^broker: broker: config node missing does not exist/),
      ]),
    );
  });

  it('reports an unknown type', () => {
    expect(validateNode({ id: 'n', type: 'nope' }, undefined, [])[0]?.message).toMatch(/unknown node type/);
  });

  it('finds typed input pairs by name, not action companions', () => {
    const pairs = findTypedInputs({
      p: { type: 'string' },
      pt: { type: 'string', enum: ['msg', 'flow'] },
      t: { type: 'string' },
      payload: { type: 'string' },
      payloadType: { type: 'string' },
      action: { type: 'string' },
      actiont: { type: 'string', enum: ['set', 'change'] },
    });
    expect(pairs.map((p) => `${p.valueKey}+${p.typeKey}`)).toEqual(['p+pt', 'payload+payloadType']);
  });
});
