import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

const splitter = (props: Record<string, unknown>) => [
  tab(),
  { id: 's', type: 'split', z: 't1', ...props, wires: [['p']] },
  probe('p'),
];

describe('split', () => {
  it('splits a string on \\n by default, with msg.parts and a fresh _msgid per part', async () => {
    h = startFlows();
    await h.deploy(
      splitter({ splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '' }),
    );
    h.send('s', { _msgid: 'orig', payload: 'a\nb\nc', topic: 't' });
    await h.settle();
    const out = h.at('p');
    expect(out.map((m) => m.payload)).toEqual(['a', 'b', 'c']);
    expect(out.map((m) => m.topic)).toEqual(['t', 't', 't']);
    const parts = out.map((m) => m['parts'] as Record<string, unknown>);
    expect(parts.map((p) => [p['index'], p['count'], p['type'], p['ch']])).toEqual([
      [0, 3, 'string', '\n'],
      [1, 3, 'string', '\n'],
      [2, 3, 'string', '\n'],
    ]);
    expect(new Set(parts.map((p) => p['id'])).size).toBe(1);
    expect(new Set(out.map((m) => m._msgid)).size).toBe(3);
    expect(out.map((m) => m._msgid)).not.toContain('orig');
  });

  it('splits strings and buffers into fixed lengths', async () => {
    h = startFlows();
    await h.deploy(splitter({ splt: '2', spltType: 'len' }));
    h.send('s', { payload: 'abcde' });
    h.send('s', { payload: Buffer.from('wxyz') });
    await h.settle();
    const out = h.at('p');
    expect(out.slice(0, 3).map((m) => m.payload)).toEqual(['ab', 'cd', 'e']);
    expect(out[0]?.['parts']).toMatchObject({ len: 2, count: 3, ch: '', type: 'string' });
    expect(out.slice(3).map((m) => (m.payload as Buffer).toString())).toEqual(['wx', 'yz']);
    expect(out[3]?.['parts']).toMatchObject({ type: 'buffer', count: 2, index: 0, len: 2 });
  });

  it('in stream mode holds a partial segment for the next message and sets no count', async () => {
    h = startFlows();
    await h.deploy(splitter({ splt: '\\n', stream: true }));
    h.send('s', { payload: 'one\ntw' });
    h.send('s', { payload: 'o\nthr' });
    await h.settle();
    expect(h.payloads('p')).toEqual(['one', 'two']);
    expect(h.at('p').map((m) => (m['parts'] as { index: number }).index)).toEqual([0, 1]);
    expect(h.at('p')[0]?.['parts']).not.toHaveProperty('count');
  });

  it('splits buffers on a byte sequence and arrays into chunks', async () => {
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'bin', type: 'split', z: 't1', splt: '[44,32]', spltType: 'bin', wires: [['p']] },
      { id: 'arr', type: 'split', z: 't1', arraySplt: '2', wires: [['q']] },
      probe('p'),
      probe('q'),
    ]);
    h.send('bin', { payload: Buffer.from('a, b, c') });
    h.send('arr', { payload: [1, 2, 3, 4, 5] });
    await h.settle();
    expect(h.at('p').map((m) => (m.payload as Buffer).toString())).toEqual(['a', 'b', 'c']);
    expect(h.at('p')[0]?.['parts']).toMatchObject({ type: 'buffer', ch: [44, 32], count: 3 });
    expect(h.payloads('q')).toEqual([[1, 2], [3, 4], [5]]);
    expect(h.at('q')[2]?.['parts']).toMatchObject({ type: 'array', index: 2, count: 3, len: 2 });
  });

  it('sends one message per object key, copying the key where asked, and stacks an existing msg.parts', async () => {
    h = startFlows();
    await h.deploy(splitter({ addname: 'topic', property: 'data' }));
    h.send('s', { data: { a: 1, b: 2 }, parts: { id: 'outer', index: 4, count: 9 } });
    await h.settle();
    const out = h.at('p');
    expect(out.map((m) => [m.topic, m['data']])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(out[1]?.['parts']).toMatchObject({
      type: 'object',
      key: 'b',
      index: 1,
      count: 2,
      property: 'data',
      parts: { id: 'outer', index: 4, count: 9 },
    });
  });

  it('passes over messages whose property cannot be split', async () => {
    h = startFlows();
    await h.deploy(splitter({}));
    h.send('s', { payload: 12 });
    h.send('s', { topic: 'no payload' });
    await h.settle();
    expect(h.at('p')).toHaveLength(0);
    expect(h.errors).toHaveLength(0);
  });

  it('fails the deploy on a bad separator or array length, naming the property', async () => {
    h = startFlows();
    await expect(h.deploy(splitter({ splt: 'x', spltType: 'len' }))).rejects.toThrow(/property "splt"/);
    await expect(h.deploy(splitter({ splt: '10', spltType: 'bin' }))).rejects.toThrow(/property "splt"/);
    await expect(h.deploy(splitter({ arraySplt: '0' }))).rejects.toThrow(/property "arraySplt"/);
  });
});
