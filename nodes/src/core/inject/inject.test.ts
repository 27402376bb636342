import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

const nodes = transformNodes;
let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const inject = (extra: Record<string, unknown>) => ({ id: 'i', type: 'inject', wires: [['out']], ...extra });

describe('inject node', () => {
  it('sets every property type when its button is pressed (an input message)', async () => {
    const before = Date.now();
    h = await runFlow(
      [
        { id: 'tab', type: 'tab', label: 'T', env: [{ name: 'WHO', value: 'tab-env', type: 'str' }] },
        {
          ...inject({
            z: 'tab',
            props: [
              { p: 'payload', v: '{"a":[1,2]}', vt: 'json' },
              { p: 'topic', v: 'the topic', vt: 'str' },
              { p: 'n', v: '42.5', vt: 'num' },
              { p: 'b', v: 'true', vt: 'bool' },
              { p: 'buf', v: '[1,2,3]', vt: 'bin' },
              { p: 'ts', v: '', vt: 'date' },
              { p: 'iso', v: 'iso', vt: 'date' },
              { p: 'who', v: 'WHO', vt: 'env' },
              { p: 'fromFlow', v: 'count', vt: 'flow' },
              { p: 'fromGlobal', v: 'g.deep', vt: 'global' },
              { p: 'calc', v: '$sum(payload.a) * 2', vt: 'jsonata' },
              { p: 'deep.nested', v: 'x', vt: 'str' },
            ],
          }),
        },
      ],
      { nodes, settings: { functionGlobalContext: { g: { deep: 'global value' } } } },
    );
    h.send('i', {});
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toEqual({ a: [1, 2] });
    expect(out?.topic).toBe('the topic');
    expect(out?.['n']).toBe(42.5);
    expect(out?.['b']).toBe(true);
    expect(out?.['buf']).toEqual(Buffer.from([1, 2, 3]));
    expect(out?.['ts']).toBeGreaterThanOrEqual(before);
    expect(typeof out?.['iso']).toBe('string');
    expect(out?.['who']).toBe('tab-env');
    expect(out?.['fromFlow']).toBeUndefined();
    expect(out?.['fromGlobal']).toBe('global value');
    expect(out?.['calc']).toBe(6);
    expect(out?.['deep']).toEqual({ nested: 'x' });
  });

  it('reads the legacy payload/payloadType/topic form', async () => {
    h = await runFlow([inject({ payload: '7', payloadType: 'num', topic: 'legacy' })], { nodes });
    h.send('i', {});
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toBe(7);
    expect(out?.topic).toBe('legacy');
  });

  it('takes payload and topic from the node when props only name them', async () => {
    h = await runFlow([inject({ props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], payload: 'hi', payloadType: 'str', topic: 't' })], {
      nodes,
    });
    h.send('i', {});
    const [out] = await h.outputs('out', 1);
    expect([out?.payload, out?.topic]).toEqual(['hi', 't']);
  });

  it('uses the properties the editor sends with the button press', async () => {
    h = await runFlow([inject({ props: [{ p: 'payload', v: 'configured', vt: 'str' }] })], { nodes });
    h.send('i', { __user_inject_props__: [{ p: 'payload', v: '3', vt: 'num' }] });
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toBe(3);
    expect(out).not.toHaveProperty('__user_inject_props__');
  });

  it('fires once after the delay, then repeats, and stops when closed', async () => {
    h = await runFlow(
      [inject({ props: [{ p: 'payload', v: 'tick', vt: 'str' }], once: true, onceDelay: '0.02', repeat: '0.03' })],
      { nodes },
    );
    const out = await h.outputs('out', 3, 2000);
    expect(out.every((m) => m.payload === 'tick')).toBe(true);
    expect(new Set(out.map((m) => m._msgid)).size).toBe(3);
    await h.runtime.stop();
    const count = h.received('out').length;
    await new Promise((r) => setTimeout(r, 80));
    expect(h.received('out').length).toBe(count);
  });

  it('fires on a cron schedule', async () => {
    h = await runFlow([inject({ props: [{ p: 'payload', v: 'cron', vt: 'str' }], crontab: '* * * * * *' })], { nodes });
    const [out] = await h.outputs('out', 1, 2500);
    expect(out?.payload).toBe('cron');
  });

  it('fails the deploy on bad properties, naming them', async () => {
    await expect(runFlow([inject({ props: [{ p: 'payload', v: '{bad', vt: 'json' }] })], { nodes })).rejects.toThrow(
      /node i \(inject\) property "props.0.v": msg.payload: invalid JSON/,
    );
    await expect(runFlow([inject({ props: [{ p: 'payload', v: 'payload', vt: 'flow-ish' }] })], { nodes })).rejects.toThrow(
      /property "props.0.vt": unsupported value type "flow-ish"/,
    );
    await expect(runFlow([inject({ crontab: 'not a cron' })], { nodes })).rejects.toThrow(/property "crontab": invalid crontab/);
    await expect(runFlow([inject({ repeat: '9999999' })], { nodes })).rejects.toThrow(/property "repeat": repeat must be at most/);
    await expect(runFlow([inject({ repeat: 'soon' })], { nodes })).rejects.toThrow(/property "repeat"/);
    await expect(runFlow([inject({ payload: '$$$(', payloadType: 'jsonata' })], { nodes })).rejects.toThrow(
      /property "payload": msg.payload: invalid JSONata/,
    );
  });

  it('copies a property set earlier with a msg typed value, as Node-RED evaluates it', async () => {
    h = await runFlow(
      [inject({ props: [{ p: 'payload', v: 'abc', vt: 'str' }, { p: 'copy', v: 'payload', vt: 'msg' }, { p: 'calc', v: '', vt: 'jsonata' }] })],
      { nodes },
    );
    h.send('i', {});
    const [msg] = await h.outputs('out', 1);
    expect(msg).toMatchObject({ payload: 'abc', copy: 'abc' });
    expect(msg).not.toHaveProperty('calc');
  });

  it('reports evaluation errors of a timed injection to catch nodes', async () => {
    h = await runFlow([inject({ props: [{ p: 'payload', v: '$error("nope")', vt: 'jsonata' }], once: true, onceDelay: 0.01 })], { nodes });
    const [err] = await h.waitErrors(1, 'i');
    expect(err?.message).toContain('nope');
  });
});
