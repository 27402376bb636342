import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tpl = (template: string, extra: Record<string, unknown> = {}) => ({
  id: 't', type: 'template', field: 'payload', fieldType: 'msg', format: 'handlebars', syntax: 'mustache', template, output: 'str', wires: [['out']], ...extra,
});

describe('template node', () => {
  it('renders mustache with message properties, sections, escaping, context and env', async () => {
    h = await runFlow(
      [
        { id: 'tab', type: 'tab', label: 'T', env: [{ name: 'SITE', value: 'plant-1', type: 'str' }] },
        { ...tpl('{{topic}}: {{payload.v}} {{html}} {{{html}}} [{{#list}}{{name}},{{/list}}] {{flow.unit}} {{global.owner}} {{env.SITE}} <{{missing}}>'), z: 'tab' },
        { id: 'seed', type: 'change', z: 'tab', rules: [{ t: 'set', p: 'unit', pt: 'flow', to: 'kW', tot: 'str' }], wires: [['t']] },
      ],
      { nodes: transformNodes, settings: { functionGlobalContext: { owner: 'ops' } } },
    );
    h.send('seed', { topic: 'power', payload: { v: 42 }, html: '<b>', list: [{ name: 'a' }, { name: 'b' }] });
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toBe('power: 42 &lt;b&gt; <b> [a,b,] kW ops plant-1 <>');
  });

  it('parses JSON and YAML output, escaping strings for JSON', async () => {
    h = await runFlow(
      [
        tpl('{"text": "{{{payload}}}", "n": {{n}}}', { id: 'j', output: 'json', wires: [['jOut']] }),
        tpl('name: {{payload}}\nitems:\n  - {{n}}', { id: 'y', output: 'yaml', wires: [['yOut']] }),
      ],
      { nodes: transformNodes },
    );
    h.send('j', { payload: 'line1\nline2 "q"'.replace('"q"', 'q'), n: 3 });
    h.send('y', { payload: 'pump', n: 7 });
    expect((await h.outputs('jOut', 1))[0]?.payload).toEqual({ text: 'line1\nline2 q', n: 3 });
    expect((await h.outputs('yOut', 1))[0]?.payload).toEqual({ name: 'pump', items: [7] });
  });

  it('uses plain text as is, msg.template when blank, and can write to context', async () => {
    h = await runFlow(
      [
        tpl('{{not replaced}}', { id: 'plain', syntax: 'plain', wires: [['plainOut']] }),
        tpl('', { id: 'fromMsg', wires: [['fromMsgOut']] }),
        tpl('{{payload}}!', { id: 'ctx', field: 'saved', fieldType: 'flow', wires: [['ctxOut']] }),
        { id: 'read', type: 'function', func: 'msg.payload = flow.get("saved"); return msg;', wires: [['readOut']] },
      ],
      { nodes: transformNodes },
    );
    h.send('plain', { payload: 1 });
    h.send('fromMsg', { payload: 'x', template: 'value={{payload}}' });
    h.send('ctx', { payload: 'stored' });
    expect((await h.outputs('plainOut', 1))[0]?.payload).toBe('{{not replaced}}');
    expect((await h.outputs('fromMsgOut', 1))[0]?.payload).toBe('value=x');
    expect((await h.outputs('ctxOut', 1))[0]?.payload).toBe('stored');
    h.send('read', {});
    expect((await h.outputs('readOut', 1))[0]?.payload).toBe('stored!');
  });

  it('fails the deploy on a broken template and reports bad JSON output', async () => {
    await expect(runFlow([tpl('{{#open}} never closed')], { nodes: transformNodes })).rejects.toThrow(
      /node t \(template\) property "template": invalid mustache template: Unclosed section "open"/,
    );
    h = await runFlow([tpl('{ not json {{payload}}', { output: 'json' })], { nodes: transformNodes });
    h.send('t', { payload: 1 });
    const [err] = await h.waitErrors(1, 't');
    expect(err?.message).toMatch(/JSON/);
  });
});
