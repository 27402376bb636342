import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const json = (extra: Record<string, unknown> = {}) => ({ id: 'j', type: 'json', action: '', property: 'payload', pretty: false, wires: [['out']], ...extra });

describe('json node', () => {
  it('converts both ways by default', async () => {
    h = await runFlow([json()], { nodes: transformNodes });
    h.send('j', { payload: '{"a":[1,true,null]}' });
    h.send('j', { payload: { b: 'x' } });
    h.send('j', { payload: Buffer.from('[1,2]') });
    h.send('j', { payload: 5 });
    h.send('j', { topic: 'no payload' });
    const out = await h.outputs('out', 5);
    expect(out.map((m) => m.payload)).toEqual([{ a: [1, true, null] }, '{"b":"x"}', [1, 2], '5', undefined]);
  });

  it('forces one direction, pretty-prints, and works on another property', async () => {
    h = await runFlow(
      [
        json({ id: 'str', action: 'str', pretty: true, wires: [['s']] }),
        json({ id: 'obj', action: 'obj', wires: [['o']] }),
        json({ id: 'prop', property: 'data.raw', wires: [['p']] }),
      ],
      { nodes: transformNodes },
    );
    h.send('str', { payload: { a: 1 } });
    h.send('str', { payload: '{"keep":"string"}' });
    h.send('obj', { payload: { already: 'object' } });
    h.send('prop', { data: { raw: '{"n":2}' } });
    expect((await h.outputs('s', 2)).map((m) => m.payload)).toEqual(['{\n    "a": 1\n}', '{"keep":"string"}']);
    expect((await h.outputs('o', 1))[0]?.payload).toEqual({ already: 'object' });
    expect((await h.outputs('p', 1))[0]?.['data']).toEqual({ raw: { n: 2 } });
  });

  it('reports invalid JSON as an error with the message', async () => {
    h = await runFlow([json()], { nodes: transformNodes });
    h.send('j', { payload: '{not json' });
    const [err] = await h.waitErrors(1, 'j');
    expect(err?.message).toMatch(/JSON/);
    await expect(runFlow([json({ action: 'both' })], { nodes: transformNodes })).rejects.toThrow(/node j \(json\) property "action"/);
  });
});
