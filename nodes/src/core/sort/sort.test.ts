import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

const sorter = (props: Record<string, unknown>) => ({
  id: 'so',
  type: 'sort',
  z: 't1',
  order: 'ascending',
  as_num: false,
  target: 'payload',
  targetType: 'msg',
  msgKey: 'payload',
  msgKeyType: 'elem',
  seqKey: 'payload',
  seqKeyType: 'msg',
  ...props,
  wires: [['p']],
});

describe('sort: a message property', () => {
  it('sorts an array ascending, or descending as numbers', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      sorter({}),
      { ...sorter({ order: 'descending', as_num: true }), id: 'num', wires: [['q']] },
      probe('p'),
      probe('q'),
    ]);
    h.send('so', { payload: ['b', 'a', 'C', '10', '9'] });
    h.send('num', { payload: ['10', '9', '100', '1'] });
    await h.settle();
    expect(h.payloads('p')).toEqual([['10', '9', 'C', 'a', 'b']]);
    expect(h.payloads('q')).toEqual([['100', '10', '9', '1']]);
  });

  it('sorts by a JSONata key of each element, and drops messages whose target is not an array', async () => {
    h = startFlows();
    await h.deploy([tab(), sorter({ target: 'data', msgKey: 'age', msgKeyType: 'jsonata' }), probe('p')]);
    h.send('so', {
      data: [
        { n: 'a', age: 30 },
        { n: 'b', age: 20 },
        { n: 'c', age: 25 },
      ],
    });
    h.send('so', { data: 'not an array' });
    await h.settle();
    expect(h.at('p').map((m) => (m['data'] as { n: string }[]).map((x) => x.n))).toEqual([['b', 'c', 'a']]);
  });
});

describe('sort: a message sequence', () => {
  it('reorders a msg.parts sequence and renumbers parts.index', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'sp', type: 'split', z: 't1', wires: [['so']] },
      sorter({ targetType: 'seq' }),
      probe('p'),
    ]);
    h.send('sp', { payload: [5, 3, 9, 1] });
    await h.settle();
    expect(h.payloads('p')).toEqual([1, 3, 5, 9]);
    expect(h.at('p').map((m) => (m['parts'] as { index: number }).index)).toEqual([0, 1, 2, 3]);
  });

  it('sorts by a JSONata expression on the message, descending', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      sorter({ targetType: 'seq', seqKey: 'payload.p', seqKeyType: 'jsonata', order: 'descending' }),
      probe('p'),
    ]);
    [{ p: 2 }, { p: 7 }, { p: 4 }].forEach((payload, index) =>
      h.send('so', { payload, parts: { id: 'g', index, count: 3 } }),
    );
    await h.settle();
    expect(h.payloads('p')).toEqual([{ p: 7 }, { p: 4 }, { p: 2 }]);
  });

  it('drops the oldest incomplete sequence with an error beyond nodeMessageBufferMaxLength', async () => {
    h = startFlows({ nodeMessageBufferMaxLength: 3 });
    await h.deploy([
      tab(),
      sorter({ targetType: 'seq' }),
      probe('p'),
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
      probe('errs'),
    ]);
    h.send('so', { payload: 'a0', parts: { id: 'a', index: 0, count: 3 } });
    h.send('so', { payload: 'a1', parts: { id: 'a', index: 1, count: 3 } });
    h.send('so', { payload: 'b0', parts: { id: 'b', index: 0, count: 2 } });
    h.send('so', { payload: 'b1', parts: { id: 'b', index: 1, count: 3 } });
    h.send('so', { payload: 'b2', parts: { id: 'b', index: 2, count: 3 } });
    await h.settle();
    expect(h.at('errs').map((m) => [m.payload, (m['error'] as { message: string }).message])).toEqual([
      ['a1', 'Too many pending messages in sort node'],
    ]);
    expect(h.payloads('p')).toEqual(['b0', 'b1', 'b2']);
  });

  it('fails the deploy on a bad JSONata key, naming it', async () => {
    h = startFlows();
    await expect(
      h.deploy([tab(), sorter({ targetType: 'seq', seqKey: 'payload.', seqKeyType: 'jsonata' })]),
    ).rejects.toThrow(/property "seqKey": invalid JSONata expression/);
  });
});
