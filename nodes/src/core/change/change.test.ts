import { afterEach, describe, expect, it } from 'vitest';
import { harnessCatch, runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

const nodes = [...transformNodes, harnessCatch];
let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const change = (rules: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  id: 'c',
  type: 'change',
  rules,
  wires: [['out']],
  ...extra,
});
const read = (expr: string) => ({ id: 'r', type: 'function', func: `msg.payload = ${expr}; return msg;`, wires: [['read']] });

async function one(rules: Record<string, unknown>[], msg: Record<string, unknown>, extra = {}) {
  h = await runFlow([change(rules, extra)], { nodes, settings: { env: { ENV_X: 'from env' } } });
  h.send('c', msg);
  return (await h.outputs('out', 1))[0] as Record<string, unknown>;
}

describe('change node', () => {
  it('sets properties to every kind of value', async () => {
    const out = await one(
      [
        { t: 'set', p: 'payload', pt: 'msg', to: 'text', tot: 'str' },
        { t: 'set', p: 'n', pt: 'msg', to: '12', tot: 'num' },
        { t: 'set', p: 'b', pt: 'msg', to: 'TRUE', tot: 'bool' },
        { t: 'set', p: 'j', pt: 'msg', to: '{"x":[1]}', tot: 'json' },
        { t: 'set', p: 'buf', pt: 'msg', to: '[104,105]', tot: 'bin' },
        { t: 'set', p: 'copy', pt: 'msg', to: 'orig.inner', tot: 'msg' },
        { t: 'set', p: 'deep', pt: 'msg', to: 'orig', tot: 'msg', dc: true },
        { t: 'set', p: 'shared', pt: 'msg', to: 'orig', tot: 'msg' },
        { t: 'set', p: 'e', pt: 'msg', to: 'ENV_X', tot: 'env' },
        { t: 'set', p: 'when', pt: 'msg', to: '', tot: 'date' },
        { t: 'set', p: 'a.b.c', pt: 'msg', to: 'made', tot: 'str' },
      ],
      { orig: { inner: 5 } },
    );
    expect(out).toMatchObject({ payload: 'text', n: 12, b: true, j: { x: [1] }, copy: 5, e: 'from env', a: { b: { c: 'made' } } });
    expect(out['buf']).toEqual(Buffer.from('hi'));
    expect(typeof out['when']).toBe('number');
    expect(out['shared']).toBe(out['orig']);
    expect(out['deep']).toEqual(out['orig']);
    expect(out['deep']).not.toBe(out['orig']);
  });

  it('changes strings by search text or regex, and numbers and booleans by value', async () => {
    const out = await one(
      [
        { t: 'change', p: 'payload', pt: 'msg', from: 'a.b', fromt: 'str', to: 'X', tot: 'str' },
        { t: 'change', p: 'rx', pt: 'msg', from: '(\\d+)', fromt: 're', to: '<$1>', tot: 'str' },
        { t: 'change', p: 'num', pt: 'msg', from: '5', fromt: 'num', to: '6', tot: 'num' },
        { t: 'change', p: 'numNo', pt: 'msg', from: '5', fromt: 'num', to: '6', tot: 'num' },
        { t: 'change', p: 'flag', pt: 'msg', from: 'true', fromt: 'bool', to: 'off', tot: 'str' },
        { t: 'change', p: 'whole', pt: 'msg', from: 'true', fromt: 'str', to: 'true', tot: 'bool' },
        { t: 'change', p: 'byMsg', pt: 'msg', from: 'search', fromt: 'msg', to: '_', tot: 'str' },
      ],
      { payload: 'a.b axb a.b', rx: 'v12 and 7', num: 5, numNo: 4, flag: true, whole: 'true', byMsg: 'one two', search: ' ' },
    );
    expect(out).toMatchObject({ payload: 'X axb X', rx: 'v<12> and <7>', num: 6, numNo: 4, flag: 'off', whole: true, byMsg: 'one_two' });
  });

  it('deletes and moves properties, including into a child of themselves', async () => {
    const out = await one(
      [
        { t: 'delete', p: 'gone', pt: 'msg' },
        { t: 'move', p: 'payload', pt: 'msg', to: 'moved', tot: 'msg' },
        { t: 'move', p: 'obj', pt: 'msg', to: 'obj.inside', tot: 'msg' },
        { t: 'move', p: 'parent.child', pt: 'msg', to: 'parent', tot: 'msg' },
      ],
      { gone: 1, payload: 'p', obj: { k: 1 }, parent: { child: { v: 2 } } },
    );
    expect(out).not.toHaveProperty('gone');
    expect(out).not.toHaveProperty('payload');
    expect(out['moved']).toBe('p');
    expect(out['obj']).toEqual({ inside: { k: 1 } });
    expect(out['parent']).toEqual({ v: 2 });
    expect(out).not.toHaveProperty('_temp_move');
  });

  it('evaluates JSONata with access to the message and context', async () => {
    h = await runFlow(
      [
        change([{ t: 'set', p: 'count', pt: 'flow', to: '7', tot: 'num' }], { id: 'seed', wires: [['c']] }),
        change([
          { t: 'set', p: 'payload', pt: 'msg', to: 'payload * 2 + $flowContext("count")', tot: 'jsonata' },
          { t: 'set', p: 'sum', pt: 'msg', to: '$sum(list)', tot: 'jsonata' },
        ]),
      ],
      { nodes },
    );
    h.send('seed', { payload: 4, list: [1, 2, 3] });
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toBe(15);
    expect(out?.['sum']).toBe(6);
  });

  it('routes a failing JSONata evaluation to catch nodes', async () => {
    h = await runFlow(
      [change([{ t: 'set', p: 'payload', pt: 'msg', to: '$error("broken")', tot: 'jsonata' }]), { id: 'k', type: 'harness-catch', wires: [['caught']] }],
      { nodes },
    );
    h.send('c', { payload: 1 });
    const [caught] = await h.outputs('caught', 1);
    expect((caught?.['error'] as { message: string }).message).toContain('broken');
    await h.settle();
    expect(h.received('out')).toHaveLength(0);
  });

  it('reads and writes flow and global context, with store prefixes and msg-dependent keys', async () => {
    h = await runFlow(
      [
        change([
          { t: 'set', p: 'a', pt: 'flow', to: 'payload', tot: 'msg' },
          { t: 'set', p: '#:(memory)::g', pt: 'global', to: 'G', tot: 'str' },
          { t: 'set', p: 'room[msg.topic]', pt: 'flow', to: 'warm', tot: 'str' },
          { t: 'change', p: 'a', pt: 'flow', from: 'o', fromt: 'str', to: '0', tot: 'str' },
          { t: 'set', p: 'fromGlobal', pt: 'msg', to: 'g', tot: 'global' },
          { t: 'move', p: 'a', pt: 'flow', to: 'movedA', tot: 'msg' },
        ]),
        read('[flow.get("a"), flow.get("room"), global.get("g")]'),
      ],
      { nodes },
    );
    h.send('c', { payload: 'foo', topic: 'kitchen' });
    const [out] = await h.outputs('out', 1);
    expect(out?.['fromGlobal']).toBe('G');
    expect(out?.['movedA']).toBe('f00');
    h.send('r', {});
    const [read1] = await h.outputs('read', 1);
    expect(read1?.payload).toEqual([undefined, { kitchen: 'warm' }, 'G']);
  });

  it('reads the Node-RED 0.x single-rule form', async () => {
    const out = await one([], { payload: 'hello world' }, { rules: undefined, action: 'change', property: 'payload', from: 'world', to: 'there' });
    expect(out['payload']).toBe('hello there');
  });

  it('fails the deploy on bad rules, naming the property', async () => {
    await expect(runFlow([change([{ t: 'set', p: 'payload', to: '{bad', tot: 'json' }])], { nodes })).rejects.toThrow(
      /node c \(change\) property "rules.0.to": rule 1: invalid JSON/,
    );
    await expect(runFlow([change([{ t: 'change', p: 'payload', from: '([', fromt: 're', to: '' }])], { nodes })).rejects.toThrow(
      /property "rules.0.from": rule 1: invalid 'from' property/,
    );
    await expect(runFlow([change([{ t: 'set', p: 'payload', to: 'payload +', tot: 'jsonata' }])], { nodes })).rejects.toThrow(
      /property "rules.0.to": rule 1: invalid JSONata/,
    );
    await expect(runFlow([change([{ t: 'explode', p: 'payload' }])], { nodes })).rejects.toThrow(/property "rules.0.t"/);
  });
});
