import { cases, out, outs, payloads, send, sw } from './kit.js';

export const switchCases = cases([
  {
    name: 'switch: equal and not equal (strings)',
    flow: [sw([{ t: 'eq', v: 'a', vt: 'str' }, { t: 'neq', v: 'a', vt: 'str' }]), ...outs(2)],
    inputs: payloads('sw', 'a', 'b'),
    expect: { o1: [{ payload: 'a' }], o2: [{ payload: 'b' }] },
  },
  {
    name: 'switch: numeric comparisons coerce strings',
    flow: [sw([{ t: 'lt', v: '10', vt: 'num' }, { t: 'lte', v: '10', vt: 'num' }, { t: 'gt', v: '10', vt: 'num' }, { t: 'gte', v: '10', vt: 'num' }]), ...outs(4)],
    inputs: payloads('sw', 5, 10, '15', 'abc'),
  },
  {
    name: 'switch: equal to a number compares loosely',
    flow: [sw([{ t: 'eq', v: '5', vt: 'num' }]), ...outs(1)],
    inputs: payloads('sw', 5, '5', 6),
  },
  {
    name: 'switch: between, either order of bounds',
    flow: [sw([{ t: 'btwn', v: '1', vt: 'num', v2: '3', v2t: 'num' }, { t: 'btwn', v: '10', vt: 'num', v2: '5', v2t: 'num' }]), ...outs(2)],
    inputs: payloads('sw', 0, 1, 2, 3, 7, 11),
  },
  {
    name: 'switch: contains and regex (case-insensitive)',
    flow: [sw([{ t: 'cont', v: 'ell', vt: 'str' }, { t: 'regex', v: '^H.*O$', vt: 'str', case: true }, { t: 'regex', v: '^h', vt: 'str', case: false }]), ...outs(3)],
    inputs: payloads('sw', 'hello', 'HELLO', 'help'),
  },
  {
    name: 'switch: true, false, null, not null',
    flow: [sw([{ t: 'true' }, { t: 'false' }, { t: 'null' }, { t: 'nnull' }]), ...outs(4)],
    inputs: payloads('sw', true, false, null, 0, 'true'),
  },
  {
    name: 'switch: is of type',
    flow: [
      sw([
        { t: 'istype', v: 'string', vt: 'string' },
        { t: 'istype', v: 'number', vt: 'number' },
        { t: 'istype', v: 'boolean', vt: 'boolean' },
        { t: 'istype', v: 'array', vt: 'array' },
        { t: 'istype', v: 'buffer', vt: 'buffer' },
        { t: 'istype', v: 'object', vt: 'object' },
        { t: 'istype', v: 'json', vt: 'json' },
        { t: 'istype', v: 'undefined', vt: 'undefined' },
        { t: 'istype', v: 'null', vt: 'null' },
      ]),
      ...outs(9),
    ],
    inputs: [...payloads('sw', 's', 1, true, [1], { a: 1 }, '{"a":1}', null), { to: 'sw', msg: { payload: Buffer.from('x') } }, { to: 'sw', msg: {} }],
  },
  {
    name: 'switch: is empty and is not empty',
    flow: [sw([{ t: 'empty' }, { t: 'nempty' }]), ...outs(2)],
    inputs: payloads('sw', '', 'x', [], [1], {}, { a: 1 }, 0, null),
  },
  {
    name: 'switch: has key',
    flow: [sw([{ t: 'hask', v: 'id', vt: 'str' }]), ...outs(1)],
    inputs: payloads('sw', { id: 1 }, { other: 1 }, 'id'),
  },
  {
    name: 'switch: JSONata expression rule',
    flow: [sw([{ t: 'jsonata_exp', v: 'payload.v > 10 and topic = "t"', vt: 'jsonata' }, { t: 'else' }]), ...outs(2)],
    inputs: send('sw', { topic: 't', payload: { v: 11 } }, { topic: 'u', payload: { v: 11 } }, { topic: 't', payload: { v: 1 } }),
  },
  {
    name: 'switch: otherwise only when nothing else matched',
    flow: [sw([{ t: 'eq', v: 'a', vt: 'str' }, { t: 'else' }]), ...outs(2)],
    inputs: payloads('sw', 'a', 'b'),
  },
  {
    name: 'switch: checking all rules sends to every match',
    flow: [sw([{ t: 'gt', v: '1', vt: 'num' }, { t: 'gt', v: '2', vt: 'num' }, { t: 'else' }]), ...outs(3)],
    inputs: payloads('sw', 3, 2, 0),
  },
  {
    name: 'switch: stopping after the first match',
    flow: [sw([{ t: 'gt', v: '1', vt: 'num' }, { t: 'gt', v: '2', vt: 'num' }, { t: 'else' }], { checkall: 'false' }), ...outs(3)],
    inputs: payloads('sw', 3, 2, 0),
  },
  {
    name: 'switch: compare against another msg property',
    flow: [sw([{ t: 'eq', v: 'expected', vt: 'msg' }, { t: 'neq', v: 'expected', vt: 'msg' }]), ...outs(2)],
    inputs: send('sw', { payload: 4, expected: 4 }, { payload: 4, expected: 5 }),
  },
  {
    name: 'switch: compare against the previous value',
    flow: [sw([{ t: 'eq', v: '', vt: 'prev' }, { t: 'neq', v: '', vt: 'prev' }]), ...outs(2)],
    inputs: payloads('sw', 1, 1, 2, 2, 1),
  },
  {
    name: 'switch: property from a JSONata expression',
    flow: [sw([{ t: 'eq', v: 'big', vt: 'str' }, { t: 'else' }], { property: 'payload > 100 ? "big" : "small"', propertyType: 'jsonata' }), ...outs(2)],
    inputs: payloads('sw', 500, 5),
  },
  {
    name: 'switch: property from flow context',
    flow: [
      { id: 'set', type: 'change', rules: [{ t: 'set', p: 'mode', pt: 'flow', to: 'on', tot: 'str' }], wires: [['sw']] },
      sw([{ t: 'eq', v: 'on', vt: 'str' }, { t: 'else' }], { property: 'mode', propertyType: 'flow' }),
      ...outs(2),
    ],
    inputs: payloads('set', 1),
  },
  {
    name: 'switch: nested property that is missing',
    flow: [sw([{ t: 'null' }, { t: 'nnull' }, { t: 'else' }], { property: 'payload.a.b' }), ...outs(3)],
    inputs: payloads('sw', { a: { b: 1 } }, { a: {} }, 5),
  },
  {
    name: 'switch: sequence rules head, tail and index with repair',
    flow: [
      { id: 'sp', type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', wires: [['sw']] },
      sw([{ t: 'head', v: '2', vt: 'num' }, { t: 'tail', v: '1', vt: 'num' }, { t: 'index', v: '1', vt: 'num', v2: '2', v2t: 'num' }], { repair: true }),
      ...outs(3),
    ],
    inputs: payloads('sp', [10, 20, 30, 40]),
  },
  {
    name: 'switch: sequence parts kept without repair',
    flow: [
      { id: 'sp', type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', wires: [['sw']] },
      sw([{ t: 'gt', v: '1', vt: 'num' }, { t: 'else' }]),
      ...outs(2),
    ],
    inputs: payloads('sp', [1, 2, 3]),
  },
  {
    name: 'switch: env typed value',
    flow: [sw([{ t: 'eq', v: 'SW_LIMIT', vt: 'env' }, { t: 'else' }]), ...outs(2)],
    tabEnv: [{ name: 'SW_LIMIT', type: 'str', value: 'go' }],
    inputs: payloads('sw', 'go', 'stop'),
  },
]);
