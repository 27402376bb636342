import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';
import type { DebugApi } from './debug.js';

const nodes = transformNodes;
let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const debug = (extra: Record<string, unknown> = {}) => ({ id: 'd', type: 'debug', name: 'dbg', wires: [], ...extra });
const published = () => (h as FlowHarness).debug.map(({ msg, format, property, topic }) => ({ msg, format, property, topic }));

describe('debug node', () => {
  it('publishes msg.payload in Node-RED\'s encoded form', async () => {
    h = await runFlow([debug()], { nodes });
    h.send('d', { payload: 'hello', topic: 't' });
    h.send('d', { payload: 42 });
    h.send('d', { payload: { a: [1, 2] } });
    h.send('d', { payload: [1, 2, 3] });
    h.send('d', { payload: Buffer.from('abc') });
    h.send('d', { payload: null });
    h.send('d', { payload: true });
    await h.settle();
    expect(published()).toEqual([
      { msg: 'hello', format: 'string[5]', property: 'payload', topic: 't' },
      { msg: '42', format: 'number', property: 'payload', topic: undefined },
      { msg: '{"a":[1,2]}', format: 'Object', property: 'payload', topic: undefined },
      { msg: '[1,2,3]', format: 'array[3]', property: 'payload', topic: undefined },
      { msg: '616263', format: 'buffer[3]', property: 'payload', topic: undefined },
      { msg: '(undefined)', format: 'null', property: 'payload', topic: undefined },
      { msg: 'true', format: 'boolean', property: 'payload', topic: undefined },
    ]);
    expect(h.debug[0]).toMatchObject({ id: 'd', name: 'dbg', z: 'harness-tab', path: 'harness-tab' });
  });

  it('truncates long values like debugMaxLength', async () => {
    h = await runFlow([debug()], { nodes });
    h.send('d', { payload: 'x'.repeat(1500) });
    h.send('d', { payload: Array.from({ length: 1200 }, (_v, i) => i) });
    await h.settle();
    const [str, arr] = h.debug;
    expect(str?.format).toBe('string[1500]');
    expect(str?.msg).toBe(`${'x'.repeat(1000)}...`);
    expect(arr?.format).toBe('array[1200]');
    const decoded = JSON.parse(String(arr?.msg)) as { __enc__: boolean; data: number[]; length: number };
    expect(decoded.__enc__).toBe(true);
    expect(decoded.length).toBe(1200);
    expect(decoded.data).toHaveLength(1000);
  });

  it('shows the complete message, another property, or a JSONata result', async () => {
    h = await runFlow(
      [
        debug({ id: 'full', complete: 'true', targetType: 'full' }),
        debug({ id: 'prop', complete: 'topic', targetType: 'msg' }),
        debug({ id: 'expr', complete: 'payload.a + 1', targetType: 'jsonata' }),
        debug({ id: 'legacy', complete: false }),
      ],
      { nodes },
    );
    for (const id of ['full', 'prop', 'expr', 'legacy']) h.send(id, { _msgid: 'm1', payload: { a: 1 }, topic: 'tp' });
    await h.settle();
    const by = (id: string) => h?.debug.find((d) => d.id === id);
    expect(JSON.parse(String(by('full')?.msg))).toEqual({ _msgid: 'm1', payload: { a: 1 }, topic: 'tp' });
    // The event contract marks the whole message (and an expression) as property 'msg'.
    expect(by('full')?.property).toBe('msg');
    expect(by('expr')?.property).toBe('msg');
    expect(by('prop')).toMatchObject({ msg: 'tp', property: 'topic' });
    expect(by('expr')).toMatchObject({ msg: '2', format: 'number' });
    expect(by('legacy')).toMatchObject({ property: 'payload', format: 'Object' });
  });

  it('stays silent when inactive or not sent to the sidebar, and logs to the console', async () => {
    h = await runFlow([debug({ active: false }), debug({ id: 'quiet', tosidebar: false, console: 'true' })], { nodes });
    h.send('d', { payload: 1 });
    h.send('quiet', { payload: 'to the log' });
    await h.settle();
    expect(h.debug).toHaveLength(0);
    expect(h.logs.some((l) => l.id === 'quiet' && l.message === 'to the log')).toBe(true);
  });

  it('sets the node status from the value, a property, or a counter', async () => {
    h = await runFlow(
      [
        debug({ id: 'auto', tostatus: true }),
        debug({ id: 'prop', tostatus: true, statusType: 'msg', statusVal: 'topic' }),
        debug({ id: 'count', tostatus: true, statusType: 'counter' }),
      ],
      { nodes },
    );
    h.send('auto', { payload: 'a very long status text that will be cut short' });
    h.send('prop', { payload: 1, topic: 'from topic' });
    h.send('count', { payload: 1 });
    await h.settle(250);
    expect(h.statuses('auto').at(-1)).toEqual({ fill: 'grey', shape: 'dot', text: 'a very long status text that wil...' });
    expect(h.statuses('prop').at(-1)).toEqual({ fill: 'grey', shape: 'dot', text: 'from topic' });
    expect(h.statuses('count').at(-1)).toEqual({ fill: 'blue', shape: 'ring', text: '1' });
  });

  it('fails the deploy on a bad JSONata expression', async () => {
    await expect(runFlow([debug({ complete: 'payload +', targetType: 'jsonata' })], { nodes })).rejects.toThrow(
      /node d \(debug\) property "complete": invalid JSONata/,
    );
  });
});

// The api lets a host switch a debug node on and off, as Node-RED's sidebar button does.
describe('debug api', () => {
  it('switches publishing on and off', async () => {
    const { debugNode } = await import('./debug.js');
    let api: DebugApi | undefined;
    const withApi = {
      ...debugNode,
      create: async (...args: Parameters<typeof debugNode.create>) => {
        const handlers = await debugNode.create(...args);
        api = handlers.api;
        return handlers;
      },
    };
    h = await runFlow([debug({ active: false })], { nodes: [withApi] as typeof transformNodes });
    h.send('d', { payload: 1 });
    await h.settle();
    api?.setActive(true);
    h.send('d', { payload: 2 });
    await h.settle();
    expect(h.debug.map((d) => d.msg)).toEqual(['2']);
  });
});
