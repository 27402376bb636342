import { batch, cases, catchAll, join, out, payloads, send, split } from './kit.js';

const rbe = (extra: Record<string, unknown>) => ({
  id: 'rbe', type: 'rbe', name: '', func: 'rbe', gap: '', start: '', inout: 'out', septopics: true, property: 'payload', topi: 'topic', wires: [['out']], ...extra,
});
const sort = (extra: Record<string, unknown> = {}) => ({
  id: 'so', type: 'sort', name: '', order: 'ascending', as_num: false, target: 'payload', targetType: 'msg', msgKey: 'payload', msgKeyType: 'elem', seqKey: 'payload', seqKeyType: 'msg', wires: [['out']], ...extra,
});
/** split wired into the node under test. */
const splitInto = (target: string) => split({ wires: [[target]] });

export const rbeCases = cases([
  {
    name: 'rbe: block unless the value changes',
    flow: [rbe({}), out()],
    inputs: payloads('rbe', 1, 1, 2, 2, 1, 'a', 'a'),
    expect: { out: [{ payload: 1 }, { payload: 2 }, { payload: 1 }, { payload: 'a' }] },
  },
  {
    name: 'rbe: ignore the initial value',
    flow: [rbe({ func: 'rbei' }), out()],
    inputs: payloads('rbe', 1, 1, 2, 2),
  },
  {
    name: 'rbe: objects are compared by value',
    flow: [rbe({}), out()],
    inputs: payloads('rbe', { a: 1 }, { a: 1 }, { a: 2 }, [1, 2], [1, 2]),
  },
  {
    name: 'rbe: separate topics',
    flow: [rbe({}), out()],
    inputs: send('rbe', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }, { topic: 'a', payload: 1 }, { topic: 'b', payload: 2 }),
  },
  {
    name: 'rbe: topics not separated',
    flow: [rbe({ septopics: false }), out()],
    inputs: send('rbe', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }, { topic: 'a', payload: 2 }),
  },
  {
    name: 'rbe: deadband compared to the last output',
    flow: [rbe({ func: 'deadband', gap: '10', inout: 'out' }), out()],
    inputs: payloads('rbe', 100, 105, 109, 111, 115, 121, 100),
  },
  {
    name: 'rbe: deadband compared to the last input',
    flow: [rbe({ func: 'deadband', gap: '10', inout: 'in' }), out()],
    inputs: payloads('rbe', 100, 105, 109, 111, 115, 121, 100),
  },
  {
    name: 'rbe: deadband or equal',
    flow: [rbe({ func: 'deadbandEq', gap: '10' }), out()],
    inputs: payloads('rbe', 100, 110, 115, 120, 90),
  },
  {
    name: 'rbe: deadband in percent',
    flow: [rbe({ func: 'deadband', gap: '10%' }), out()],
    inputs: payloads('rbe', 100, 105, 111, 125, 122),
  },
  {
    name: 'rbe: narrowband drops big jumps',
    flow: [rbe({ func: 'narrowband', gap: '10' }), out()],
    inputs: payloads('rbe', 100, 105, 130, 95, 111),
  },
  {
    name: 'rbe: narrowband with a start value',
    flow: [rbe({ func: 'narrowbandEq', gap: '5', start: '50' }), out()],
    inputs: payloads('rbe', 54, 55, 60, 49),
  },
  {
    name: 'rbe: deadband on non-numbers',
    flow: [rbe({ func: 'deadband', gap: '10' }), out()],
    inputs: payloads('rbe', 'abc', 5, '20'),
    compare: { warnings: true },
  },
  {
    name: 'rbe: msg.reset forgets the last value',
    flow: [rbe({}), out()],
    inputs: send('rbe', { payload: 1 }, { payload: 1 }, { reset: true }, { payload: 1 }),
  },
  {
    name: 'rbe: another property',
    flow: [rbe({ property: 'value.v' }), out()],
    inputs: send('rbe', { value: { v: 1 }, payload: 'a' }, { value: { v: 1 }, payload: 'b' }, { value: { v: 2 }, payload: 'c' }),
  },
]);

export const splitCases = cases([
  {
    name: 'split: string by newline',
    flow: [split(), out()],
    inputs: payloads('sp', 'a\nb\nc'),
    expect: { out: [{ payload: 'a', parts: { index: 0, count: 3, type: 'string', ch: '\n' } }, { payload: 'b' }, { payload: 'c' }] },
  },
  {
    name: 'split: string by another separator',
    flow: [split({ splt: ', ' }), out()],
    inputs: payloads('sp', 'x, y, z'),
  },
  {
    name: 'split: string into fixed lengths',
    flow: [split({ splt: '3', spltType: 'len' }), out()],
    inputs: payloads('sp', 'abcdefgh'),
  },
  {
    name: 'split: array into single elements',
    flow: [split(), out()],
    inputs: send('sp', { topic: 't', payload: [1, 'two', { three: 3 }] }),
  },
  {
    name: 'split: array into chunks',
    flow: [split({ arraySplt: 2 }), out()],
    inputs: payloads('sp', [1, 2, 3, 4, 5]),
  },
  {
    name: 'split: object into key/value messages',
    flow: [split({ addname: 'topic' }), out()],
    inputs: payloads('sp', { a: 1, b: { c: 2 } }),
  },
  {
    name: 'split: buffer by a byte sequence',
    flow: [split({ splt: '[0]', spltType: 'bin' }), out()],
    inputs: [{ to: 'sp', msg: { payload: Buffer.from([1, 2, 0, 3, 0, 4]) } }],
  },
  {
    name: 'split: buffer into fixed lengths',
    flow: [split({ splt: '2', spltType: 'len' }), out()],
    inputs: [{ to: 'sp', msg: { payload: Buffer.from([1, 2, 3, 4, 5]) } }],
  },
  {
    name: 'split: stream mode joins text across messages',
    flow: [split({ stream: true }), out()],
    inputs: payloads('sp', 'a\nb', 'c\nd\n', 'e'),
  },
  {
    name: 'split: numbers are dropped',
    flow: [split(), out()],
    inputs: payloads('sp', 42, 'x'),
    compare: { warnings: true },
  },
  {
    name: 'split: another property',
    flow: [split({ property: 'list' }), out()],
    inputs: send('sp', { list: ['p', 'q'], payload: 'kept' }),
  },
]);

export const joinCases = cases([
  {
    name: 'join: auto re-joins a split string',
    flow: [splitInto('jn'), join(), out()],
    inputs: payloads('sp', 'a\nb\nc'),
    expect: { out: [{ payload: 'a\nb\nc' }] },
  },
  {
    name: 'join: auto re-joins a split array',
    flow: [split({ arraySplt: 2, wires: [['jn']] }), join(), out()],
    inputs: payloads('sp', [1, 2, 3, 4, 5]),
  },
  {
    name: 'join: auto re-joins a split object',
    flow: [splitInto('jn'), join(), out()],
    inputs: payloads('sp', { a: 1, b: 'x' }),
  },
  {
    name: 'join: auto re-joins a split buffer',
    flow: [split({ splt: '[0]', spltType: 'bin', wires: [['jn']] }), join(), out()],
    inputs: [{ to: 'sp', msg: { payload: Buffer.from([1, 0, 2]) } }],
  },
  {
    name: 'join: manual array after a count',
    flow: [join({ mode: 'custom', build: 'array', count: '3' }), out()],
    inputs: payloads('jn', 1, 2, 3, 4),
    expect: { out: [{ payload: [1, 2, 3] }] },
  },
  {
    name: 'join: manual string with a joiner',
    flow: [join({ mode: 'custom', build: 'string', joiner: ',', count: '2' }), out()],
    inputs: payloads('jn', 'a', 1, 'b', { c: 1 }),
  },
  {
    name: 'join: manual key/value object from topics',
    flow: [join({ mode: 'custom', build: 'object', key: 'topic', count: '2' }), out()],
    inputs: send('jn', { topic: 'x', payload: 1 }, { topic: 'y', payload: 2 }, { topic: 'x', payload: 3 }, { topic: 'x', payload: 4 }),
  },
  {
    name: 'join: manual object accumulating',
    flow: [join({ mode: 'custom', build: 'object', key: 'topic', count: '2', accumulate: true }), out()],
    inputs: send('jn', { topic: 'x', payload: 1 }, { topic: 'y', payload: 2 }, { topic: 'z', payload: 3 }),
  },
  {
    name: 'join: manual merged object',
    flow: [join({ mode: 'custom', build: 'merged', count: '2' }), out()],
    inputs: payloads('jn', { a: 1, b: 1 }, { b: 2, c: 3 }),
  },
  {
    name: 'join: manual buffer join',
    flow: [join({ mode: 'custom', build: 'buffer', joiner: '[44]', joinerType: 'bin', count: '2' }), out()],
    inputs: [{ to: 'jn', msg: { payload: Buffer.from('ab') } }, { to: 'jn', msg: { payload: Buffer.from('cd') } }],
  },
  {
    name: 'join: manual whole messages',
    flow: [join({ mode: 'custom', build: 'array', propertyType: 'full', count: '2' }), out()],
    inputs: send('jn', { topic: 'a', payload: 1 }, { topic: 'b', payload: 2 }),
  },
  {
    name: 'join: timeout sends what it has',
    flow: [join({ mode: 'custom', build: 'array', count: '5', timeout: '0.04' }), out()],
    inputs: payloads('jn', 1, 2),
    waitMs: 90,
  },
  {
    name: 'join: msg.complete sends what it has',
    flow: [join({ mode: 'custom', build: 'array', count: '5' }), out()],
    inputs: send('jn', { payload: 1 }, { payload: 2 }, { payload: 3, complete: true }),
  },
  {
    name: 'join: msg.reset drops what it has',
    flow: [join({ mode: 'custom', build: 'array', count: '2' }), out()],
    inputs: send('jn', { payload: 1 }, { reset: true }, { payload: 2 }, { payload: 3 }),
  },
  {
    name: 'join: reduce a sequence to a sum',
    flow: [splitInto('jn'), join({ mode: 'reduce', reduceExp: '$A + payload', reduceInit: '0', reduceInitType: 'num', reduceFixup: '' }), out()],
    inputs: payloads('sp', [1, 2, 3, 4]),
    expect: { out: [{ payload: 10 }] },
  },
  {
    name: 'join: reduce with a fix-up expression (average)',
    flow: [splitInto('jn'), join({ mode: 'reduce', reduceExp: '$A + payload', reduceInit: '0', reduceInitType: 'num', reduceFixup: '$A / $N' }), out()],
    inputs: payloads('sp', [2, 4, 9]),
  },
  {
    name: 'join: reduce right to left',
    flow: [splitInto('jn'), join({ mode: 'reduce', reduceRight: true, reduceExp: '$A & payload', reduceInit: '', reduceInitType: 'str', reduceFixup: '' }), out()],
    inputs: payloads('sp', ['a', 'b', 'c']),
  },
  {
    name: 'join: reduce using $I and an array initial value',
    flow: [splitInto('jn'), join({ mode: 'reduce', reduceExp: '$append($A, [$I * payload])', reduceInit: '[]', reduceInitType: 'json', reduceFixup: '' }), out()],
    inputs: payloads('sp', [5, 6, 7]),
  },
  {
    name: 'join: reduce with an invalid expression',
    flow: [splitInto('jn'), join({ mode: 'reduce', reduceExp: '$A + $nofn(payload)', reduceInit: '0', reduceInitType: 'num', reduceFixup: '' }), out(), ...catchAll()],
    inputs: payloads('sp', [1, 2]),
  },
]);

export const sortCases = cases([
  {
    name: 'sort: array payload ascending',
    flow: [sort(), out()],
    inputs: payloads('so', [3, 1, 2], ['b', 'a', 'C']),
    expect: { out: [{ payload: [1, 2, 3] }, { payload: ['C', 'a', 'b'] }] },
  },
  {
    name: 'sort: descending as numbers',
    flow: [sort({ order: 'descending', as_num: true }), out()],
    inputs: payloads('so', ['10', '9', '100', '1']),
  },
  {
    name: 'sort: array elements by a JSONata key',
    flow: [sort({ msgKey: 'age', msgKeyType: 'jsonata' }), out()],
    inputs: payloads('so', [{ n: 'a', age: 30 }, { n: 'b', age: 20 }, { n: 'c', age: 25 }]),
  },
  {
    name: 'sort: a message sequence by payload',
    flow: [splitInto('so'), sort({ targetType: 'seq', seqKey: 'payload', seqKeyType: 'msg' }), out()],
    inputs: payloads('sp', [5, 3, 9, 1]),
  },
  {
    name: 'sort: a message sequence by a JSONata key, descending',
    flow: [splitInto('so'), sort({ targetType: 'seq', seqKey: 'payload.p', seqKeyType: 'jsonata', order: 'descending' }), out()],
    inputs: payloads('sp', [{ p: 2 }, { p: 7 }, { p: 4 }]),
  },
  {
    name: 'sort: sorted sequence re-joins in the new order',
    flow: [splitInto('so'), sort({ targetType: 'seq' }), join(), out()],
    inputs: payloads('sp', ['c', 'a', 'b']),
  },
  {
    name: 'sort: a non-array payload is dropped',
    flow: [sort(), out()],
    inputs: payloads('so', 'not an array', [2, 1]),
    expect: { out: [{ payload: [1, 2] }] },
  },
]);

export const batchCases = cases([
  {
    name: 'batch: groups by count',
    flow: [batch(), out()],
    inputs: payloads('bt', 1, 2, 3, 4, 5),
    expect: { out: [{ payload: 1, parts: { index: 0, count: 2 } }, { payload: 2, parts: { index: 1, count: 2 } }, { payload: 3 }, { payload: 4 }] },
  },
  {
    name: 'batch: count with overlap',
    flow: [batch({ count: 3, overlap: 1 }), out()],
    inputs: payloads('bt', 1, 2, 3, 4, 5),
  },
  {
    name: 'batch: by count then joined',
    flow: [batch({ count: 2, wires: [['jn']] }), join(), out()],
    inputs: payloads('bt', 'a', 'b', 'c', 'd'),
  },
  {
    name: 'batch: by time interval',
    flow: [batch({ mode: 'interval', interval: 0.05 }), out()],
    inputs: [...payloads('bt', 1, 2), { to: 'bt', msg: { payload: 3 }, delayMs: 70 }],
    waitMs: 60,
  },
  {
    name: 'batch: concatenate sequences by topic',
    flow: [
      { id: 'spa', type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', wires: [['bt']] },
      batch({ mode: 'concat', topics: [{ topic: 'a' }, { topic: 'b' }] }),
      out(),
    ],
    inputs: send('spa', { topic: 'b', payload: [3, 4] }, { topic: 'a', payload: [1, 2] }),
  },
  {
    name: 'batch: msg.reset clears the pending group',
    flow: [batch({ count: 2 }), out()],
    inputs: send('bt', { payload: 1 }, { reset: true }, { payload: 2 }, { payload: 3 }),
  },
]);

