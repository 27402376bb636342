import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('yaml node', () => {
  it('converts YAML strings to objects and objects to YAML', async () => {
    h = await runFlow([{ id: 'y', type: 'yaml', property: '', wires: [['out']] }], { nodes: transformNodes });
    h.send('y', { payload: 'a: 1\nlist:\n  - x\n  - y\n' });
    h.send('y', { payload: { b: [1, 2], c: 'text' } });
    h.send('y', {});
    const out = await h.outputs('out', 3);
    expect(out[0]?.payload).toEqual({ a: 1, list: ['x', 'y'] });
    expect(out[1]?.payload).toBe('b:\n  - 1\n  - 2\nc: text\n');
    expect(out[2]).not.toHaveProperty('payload');
  });

  it('reports invalid YAML and warns about values it cannot convert', async () => {
    h = await runFlow([{ id: 'y', type: 'yaml', property: 'doc', wires: [['out']] }], { nodes: transformNodes });
    h.send('y', { doc: 'a: [1, 2' });
    h.send('y', { doc: 5 });
    const [err] = await h.waitErrors(1, 'y');
    expect(err?.message).toMatch(/unexpected end|flow collection/);
    await h.settle();
    expect(h.logs.some((l) => l.level === 'warn' && l.id === 'y')).toBe(true);
    expect(h.received('out')).toHaveLength(0);
  });
});
