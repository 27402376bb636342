import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const csv = (extra: Record<string, unknown> = {}) => ({
  id: 'c', type: 'csv', spec: 'rfc', sep: ',', hdrin: '', hdrout: 'none', multi: 'one', ret: '\\r\\n', temp: '', skip: '0',
  strings: true, include_empty_strings: '', include_null_values: '', wires: [['out']], ...extra,
});

describe('csv node', () => {
  it('turns CSV into one message per row with parts, header from the first line', async () => {
    h = await runFlow([csv({ hdrin: true })], { nodes: transformNodes });
    h.send('c', { _msgid: 'm', payload: 'id,name,note\r\n1,"Pump, main","says ""on"""\r\n2,Fan,\r\n' });
    const out = await h.outputs('out', 2);
    expect(out.map((m) => m.payload)).toEqual([
      { id: 1, name: 'Pump, main', note: 'says "on"' },
      { id: 2, name: 'Fan' },
    ]);
    expect(out.map((m) => m['parts'])).toEqual([
      { id: 'm', index: 0, count: 2 },
      { id: 'm', index: 1, count: 2 },
    ]);
    expect(out[0]?.['columns']).toBe('id,name,note');
  });

  it('uses the column template, skips lines, keeps strings, and sends one array when asked', async () => {
    h = await runFlow(
      [csv({ temp: 'a,,c', skip: '1', strings: false, multi: 'mult', include_empty_strings: true, include_null_values: true })],
      { nodes: transformNodes },
    );
    h.send('c', { payload: 'skip me\n1,2,3\n4,,""\n' });
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toEqual([
      { a: '1', c: '3' },
      { a: '4', c: null },
    ]);
    expect(out?.['columns']).toBe('a,c');
  });

  it('names columns col1.. without template or header, with another separator', async () => {
    h = await runFlow([csv({ sep: ';', multi: 'mult' })], { nodes: transformNodes });
    h.send('c', { payload: 'x;"y;z"\n' });
    expect((await h.outputs('out', 1))[0]?.payload).toEqual([{ col1: 'x', col2: 'y;z' }]);
  });

  it('turns objects into CSV with RFC 4180 quoting and a header once until reset', async () => {
    h = await runFlow([csv({ temp: 'name,note', hdrout: 'once' })], { nodes: transformNodes });
    const rows = [{ name: 'Pump, main', note: 'says "on"' }, { name: 'Fan', note: 'two\nlines' }];
    h.send('c', { payload: rows });
    h.send('c', { payload: { name: 'Valve', note: 1 } });
    h.send('c', { reset: true });
    h.send('c', { payload: { name: 'After reset', note: true } });
    const out = await h.outputs('out', 3);
    expect(out[0]?.payload).toBe('name,note\r\n"Pump, main","says ""on"""\r\nFan,"two\nlines"\r\n');
    expect(out[1]?.payload).toBe('Valve,1\r\n');
    expect(out[2]?.payload).toBe('name,note\r\nAfter reset,true\r\n');
    expect(out[0]?.['columns']).toBe('name,note');
  });

  it('writes arrays of arrays and objects without a template, using their keys', async () => {
    h = await runFlow([csv({ id: 'arr', wires: [['a']] }), csv({ id: 'obj', hdrout: 'all', ret: '\\n', wires: [['o']] })], { nodes: transformNodes });
    h.send('arr', { payload: [[1, 'a,b'], [2, null]] });
    h.send('obj', { payload: [{ x: 1, y: 'q' }, { x: 2, y: 'r' }] });
    expect((await h.outputs('a', 1))[0]?.payload).toBe('1,"a,b"\r\n2,null\r\n');
    expect((await h.outputs('o', 1))[0]?.payload).toBe('x,y\n1,q\n2,r\n');
  });

  it('collects split lines into one array in multi mode', async () => {
    h = await runFlow([csv({ temp: 'a,b', multi: 'mult' })], { nodes: transformNodes });
    ['1,2', '3,4', '5,6'].forEach((line, index) => h?.send('c', { payload: line, parts: { id: 'p', index, count: 3 } }));
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }]);
    expect(out).not.toHaveProperty('parts');
  });

  it('reports payloads it cannot handle, and fails the deploy on a bad template or separator', async () => {
    h = await runFlow([csv()], { nodes: transformNodes });
    h.send('c', { payload: 12 });
    const [err] = await h.waitErrors(1, 'c');
    expect(err?.message).toBe('This node only handles CSV strings or js objects.');
    expect(h.statuses('c').at(-1)).toMatchObject({ fill: 'red' });
    await expect(runFlow([csv({ temp: 'a,"b' })], { nodes: transformNodes })).rejects.toThrow(/node c \(csv\) property "temp": invalid column template/);
    await expect(runFlow([csv({ sep: ';;' })], { nodes: transformNodes })).rejects.toThrow(/property "sep"/);
  });
});
