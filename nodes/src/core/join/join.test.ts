import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTimerOptions, probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

const joiner = (props: Record<string, unknown>, extra: unknown[] = []) => [
  tab(),
  { id: 'j', type: 'join', z: 't1', ...props, wires: [['p']] },
  probe('p'),
  ...extra,
];

describe('join: automatic', () => {
  it('reverses split for strings, buffers, arrays and objects', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 's-str', type: 'split', z: 't1', splt: ',', wires: [['j']] },
      { id: 's-bin', type: 'split', z: 't1', splt: '[0]', spltType: 'bin', wires: [['j']] },
      { id: 's-len', type: 'split', z: 't1', splt: '3', spltType: 'len', wires: [['j']] },
      { id: 's-arr', type: 'split', z: 't1', arraySplt: 2, wires: [['j']] },
      { id: 's-obj', type: 'split', z: 't1', wires: [['j']] },
      {
        id: 'j',
        type: 'join',
        z: 't1',
        mode: 'auto',
        build: 'object',
        property: 'payload',
        propertyType: 'msg',
        key: 'topic',
        joiner: '\\n',
        joinerType: 'str',
        accumulate: 'false',
        timeout: '',
        count: '',
        wires: [['p']],
      },
      probe('p'),
    ]);
    const cases: [string, unknown][] = [
      ['s-str', 'a,b,,c'],
      ['s-bin', Buffer.from([1, 0, 2, 3, 0, 4])],
      ['s-len', Buffer.from('abcdefgh')],
      ['s-arr', [1, 2, 3, 4, 5]],
      ['s-obj', { x: 1, y: { z: 2 } }],
    ];
    for (const [node, payload] of cases) {
      h.send(node, { payload, topic: 'keep' });
      await h.settle();
    }
    const out = h.at('p');
    expect(out.map((m) => m.payload)).toEqual(cases.map(([, p]) => p));
    expect(out.every((m) => !('parts' in m) && m.topic === 'keep')).toBe(true);
  });

  it('restores an outer msg.parts after a nested split/join', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 's1', type: 'split', z: 't1', wires: [['s2']] },
      { id: 's2', type: 'split', z: 't1', splt: '-', wires: [['j2']] },
      { id: 'j2', type: 'join', z: 't1', mode: 'auto', wires: [['j1', 'mid']] },
      { id: 'j1', type: 'join', z: 't1', mode: 'auto', wires: [['p']] },
      probe('mid'),
      probe('p'),
    ]);
    h.send('s1', { payload: ['a-b', 'c-d-e'] });
    await h.settle();
    expect(h.payloads('mid')).toEqual(['a-b', 'c-d-e']);
    expect(h.at('mid')[1]?.['parts']).toMatchObject({ type: 'array', index: 1, count: 2 });
    expect(h.payloads('p')).toEqual([['a-b', 'c-d-e']]);
  });

  it('warns about messages without msg.parts', async () => {
    h = startFlows();
    await h.deploy(joiner({ mode: 'auto' }));
    h.send('j', { payload: 1 });
    await h.settle();
    expect(h.warnings.map((w) => w.message)).toEqual([
      "Message missing msg.parts property - cannot join in 'auto' mode",
    ]);
  });
});

describe('join: manual', () => {
  it('joins a count of messages into an array, then starts over', async () => {
    h = startFlows();
    await h.deploy(joiner({ mode: 'custom', build: 'array', count: '3', timeout: '' }));
    for (let i = 1; i <= 7; i++) h.send('j', { payload: i, topic: `t${i}` });
    await h.settle();
    expect(h.payloads('p')).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(h.at('p').map((m) => m.topic)).toEqual(['t3', 't6']); // other properties from the last message
  });

  it('joins strings with the joiner, buffers with a byte joiner, whole messages into an array', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'str', type: 'join', z: 't1', mode: 'custom', build: 'string', joiner: '\\t', count: '2', wires: [['p1']] },
      {
        id: 'buf',
        type: 'join',
        z: 't1',
        mode: 'custom',
        build: 'buffer',
        joiner: '[33]',
        joinerType: 'bin',
        count: '2',
        wires: [['p2']],
      },
      {
        id: 'full',
        type: 'join',
        z: 't1',
        mode: 'custom',
        build: 'array',
        propertyType: 'full',
        count: '2',
        wires: [['p3']],
      },
      probe('p1'),
      probe('p2'),
      probe('p3'),
    ]);
    for (const id of ['str', 'buf', 'full']) {
      h.send(id, { payload: 'a', topic: 'x' });
      h.send(id, { payload: 'b', topic: 'y' });
    }
    await h.settle();
    expect(h.payloads('p1')).toEqual(['a\tb']);
    expect((h.payloads('p2')[0] as Buffer).toString()).toBe('a!b');
    expect((h.payloads('p3')[0] as { payload: string; topic: string }[]).map((m) => [m.payload, m.topic])).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
  });

  it('builds key/value and merged objects, accumulating when asked', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      {
        id: 'kv',
        type: 'join',
        z: 't1',
        mode: 'custom',
        build: 'object',
        key: 'topic',
        count: '2',
        accumulate: true,
        wires: [['p1']],
      },
      { id: 'mg', type: 'join', z: 't1', mode: 'custom', build: 'merged', count: '3', wires: [['p2']] },
      probe('p1'),
      probe('p2'),
    ]);
    h.send('kv', { topic: 'a', payload: 1 });
    h.send('kv', { topic: 'b', payload: 2 });
    h.send('kv', { topic: 'a', payload: 3 });
    h.send('mg', { payload: { a: 1 } });
    h.send('mg', { payload: { b: 2 } });
    h.send('mg', { payload: { a: 5, c: 3 } });
    await h.settle();
    expect(h.payloads('p1')).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 2 },
    ]);
    expect(h.payloads('p2')).toEqual([{ a: 5, b: 2, c: 3 }]);
  });

  it('sends early on msg.complete, discards on msg.reset', async () => {
    h = startFlows();
    await h.deploy(joiner({ mode: 'custom', build: 'array', count: '10' }));
    h.send('j', { payload: 1 });
    h.send('j', { payload: 2, complete: true });
    h.send('j', { payload: 3 });
    h.send('j', { reset: true });
    h.send('j', { payload: 4 });
    h.send('j', { complete: true });
    await h.settle();
    expect(h.payloads('p')).toEqual([[1, 2], [4]]);
    expect(h.at('p')[0]).not.toHaveProperty('complete');
  });

  it('sends what it has after the timeout, which msg.restartTimeout restarts', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy(joiner({ mode: 'custom', build: 'array', count: '', timeout: '2' }));
    h.send('j', { payload: 'a' });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(1500);
    h.send('j', { payload: 'b', restartTimeout: true });
    await h.runtime.idle();
    await vi.advanceTimersByTimeAsync(1500);
    await h.runtime.idle();
    expect(h.at('p')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual([['a', 'b']]);
  });

  it('uses msg.parts.count and id when the count is blank', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 's', type: 'split', z: 't1', wires: [['j']] },
      { id: 'j', type: 'join', z: 't1', mode: 'custom', build: 'string', joiner: '+', count: '', wires: [['p']] },
      probe('p'),
    ]);
    h.send('s', { payload: [1, 2, 3] });
    h.send('s', { payload: ['x'] });
    await h.settle();
    expect(h.payloads('p')).toEqual(['1+2+3', 'x']);
  });

  it('keeps a partial group across a deploy that does not restart it', async () => {
    h = startFlows();
    const flow = joiner({ mode: 'custom', build: 'array', count: '2' });
    await h.deploy(flow);
    h.send('j', { payload: 'before' });
    await h.settle();
    await h.runtime.deploy([...flow, { id: 'extra', type: 'junction', z: 't1', wires: [[]] }], 'nodes');
    h.send('j', { payload: 'after' });
    await h.settle();
    expect(h.payloads('p')).toEqual([['before', 'after']]);
  });
});

describe('join: reduce', () => {
  const reduceFlow = (props: Record<string, unknown>) => [
    tab(),
    { id: 's', type: 'split', z: 't1', wires: [['j']] },
    { id: 'j', type: 'join', z: 't1', mode: 'reduce', ...props, wires: [['p']] },
    probe('p'),
  ];

  it('folds a sequence with $A, $I and $N, then applies the fix-up', async () => {
    h = startFlows();
    await h.deploy(
      reduceFlow({
        reduceExp: '$A+payload',
        reduceInit: '0',
        reduceInitType: 'num',
        reduceFixup: '$A/$N',
        reduceRight: false,
      }),
    );
    h.send('s', { payload: [1, 2, 3, 4] });
    await h.settle();
    expect(h.payloads('p')).toEqual([2.5]);
  });

  it('evaluates in reverse order when asked, in index order whatever the arrival order', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      {
        id: 'j',
        type: 'join',
        z: 't1',
        mode: 'reduce',
        reduceExp: '$A & payload & $string($I)',
        reduceInit: '',
        reduceInitType: 'str',
        reduceRight: true,
        wires: [['p']],
      },
      probe('p'),
    ]);
    for (const i of [2, 0, 1]) h.send('j', { payload: ['a', 'b', 'c'][i], parts: { id: 'g', index: i, count: 3 } });
    await h.settle();
    expect(h.payloads('p')).toEqual(['c2b1a0']);
  });

  it('reports an expression error on the message that completed the group, as JSONata raised it', async () => {
    h = startFlows();
    await h.deploy([
      ...reduceFlow({ reduceExp: '$A + $nofn(payload)', reduceInit: '0', reduceInitType: 'num' }),
      { id: 'c', type: 'catch', z: 't1', scope: ['j'], wires: [['errs']] },
      probe('errs'),
    ]);
    h.send('s', { payload: [1, 2] });
    await h.settle();
    expect(h.at('p')).toHaveLength(0);
    expect(h.at('errs')).toHaveLength(1);
    // Node-RED passes JSONata's error object on unchanged: its code survives, its message prints as [object Object].
    expect(h.at('errs')[0]).toMatchObject({ payload: 2, error: { code: 'T1006', message: '[object Object]' } });
  });

  it('drops held messages with an error beyond nodeMessageBufferMaxLength', async () => {
    h = startFlows({ nodeMessageBufferMaxLength: 3 });
    await h.deploy([
      ...joiner({ mode: 'reduce', reduceExp: '$A', reduceInit: '0', reduceInitType: 'num' }),
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
      probe('errs'),
    ]);
    for (let i = 0; i < 4; i++) h.send('j', { payload: i, parts: { id: `g${i}`, index: 0, count: 2 } });
    await h.settle();
    expect(h.at('errs').map((m) => (m['error'] as { message: string }).message)).toEqual([
      'too many pending messages in join node',
    ]);
  });

  it('fails the deploy on a bad reduce expression, naming the property', async () => {
    h = startFlows();
    await expect(h.deploy(reduceFlow({ reduceExp: '$A +', reduceInit: '0', reduceInitType: 'num' }))).rejects.toThrow(
      /property "reduceExp": invalid JSONata expression/,
    );
  });
});
