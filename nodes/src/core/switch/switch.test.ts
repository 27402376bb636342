import { afterEach, describe, expect, it } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

const nodes = transformNodes;
let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sw = (rules: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  id: 's',
  type: 'switch',
  property: 'payload',
  propertyType: 'msg',
  rules,
  checkall: 'true',
  wires: rules.map((_r, i) => [`o${i}`]),
  ...extra,
});

/** Sends each payload through a one-rule switch; returns which matched. */
async function matches(rule: Record<string, unknown>, values: unknown[], extra: Record<string, unknown> = {}): Promise<unknown[]> {
  h = await runFlow([sw([rule, { t: 'else' }], extra)], { nodes });
  values.forEach((v, i) => h?.send('s', { payload: v, i }));
  await h.outputs('o0', 0);
  await h.settle();
  const hits = h.received('o0').map((m) => m['i'] as number);
  await h.close();
  h = undefined;
  return values.filter((_v, i) => hits.includes(i));
}

describe('switch node', () => {
  it('compares like Node-RED (loose equality, numbers from strings)', async () => {
    expect(await matches({ t: 'eq', v: '5', vt: 'num' }, [5, '5', 6, 'x'])).toEqual([5, '5']);
    expect(await matches({ t: 'neq', v: 'a', vt: 'str' }, ['a', 'b'])).toEqual(['b']);
    expect(await matches({ t: 'lt', v: '10', vt: 'num' }, [9, 10, '3', 11])).toEqual([9, '3']);
    expect(await matches({ t: 'lte', v: '10' }, [10, 11])).toEqual([10]);
    expect(await matches({ t: 'gt', v: '10', vt: 'num' }, [9, 11])).toEqual([11]);
    expect(await matches({ t: 'gte', v: '10', vt: 'num' }, [10, 9])).toEqual([10]);
    expect(await matches({ t: 'btwn', v: '1', vt: 'num', v2: '3', v2t: 'num' }, [0, 1, 2, 3, 4])).toEqual([1, 2, 3]);
    expect(await matches({ t: 'btwn', v: '3', vt: 'num', v2: '1', v2t: 'num' }, [0, 2])).toEqual([2]);
  });

  it('matches text, regex (with case option), booleans, null and types', async () => {
    expect(await matches({ t: 'cont', v: 'ell', vt: 'str' }, ['hello', 'help', 12])).toEqual(['hello']);
    expect(await matches({ t: 'regex', v: '^ab+c$', vt: 'str', case: false }, ['abbc', 'ABC', 'abd'])).toEqual(['abbc']);
    expect(await matches({ t: 'regex', v: '^ab+c$', vt: 'str', case: true }, ['abbc', 'ABC'])).toEqual(['abbc', 'ABC']);
    expect(await matches({ t: 'true' }, [true, 'true', 1])).toEqual([true]);
    expect(await matches({ t: 'false' }, [false, 0])).toEqual([false]);
    expect(await matches({ t: 'null' }, [null, undefined, 0])).toEqual([null, undefined]);
    expect(await matches({ t: 'nnull' }, [null, 0, ''])).toEqual([0, '']);
    const values = ['s', 1, NaN, true, [1], { a: 1 }, Buffer.from('x'), null, '{"a":1}'];
    expect(await matches({ t: 'istype', v: 'string', vt: 'string' }, values)).toEqual(['s', '{"a":1}']);
    expect(await matches({ t: 'istype', v: 'number', vt: 'number' }, values)).toEqual([1]);
    expect(await matches({ t: 'istype', v: 'array', vt: 'array' }, values)).toEqual([[1]]);
    expect(await matches({ t: 'istype', v: 'object', vt: 'object' }, values)).toEqual([{ a: 1 }]);
    expect(await matches({ t: 'istype', v: 'buffer', vt: 'buffer' }, values)).toEqual([Buffer.from('x')]);
    expect(await matches({ t: 'istype', v: 'json', vt: 'json' }, values)).toEqual([1, true, [1], null, '{"a":1}']);
    expect(await matches({ t: 'istype', v: 'null', vt: 'null' }, values)).toEqual([null]);
  });

  it('checks emptiness and keys', async () => {
    const values = ['', 'a', [], [1], {}, { k: 1 }, Buffer.alloc(0), 0, null];
    expect(await matches({ t: 'empty' }, values)).toEqual(['', [], {}, Buffer.alloc(0)]);
    expect(await matches({ t: 'nempty' }, values)).toEqual(['a', [1], { k: 1 }]);
    expect(await matches({ t: 'hask', v: 'k', vt: 'str' }, values)).toEqual([{ k: 1 }]);
  });

  it('compares with other message properties, context, and the previous value', async () => {
    h = await runFlow(
      [sw([{ t: 'gt', v: 'limit', vt: 'msg' }, { t: 'eq', v: 'prev', vt: 'prev' }, { t: 'eq', v: 'want', vt: 'global' }])],
      { nodes, settings: { functionGlobalContext: { want: 'g' } } },
    );
    h.send('s', { payload: 5, limit: 3 });
    h.send('s', { payload: 5, limit: 9 });
    h.send('s', { payload: 'g' });
    const [gt] = await h.outputs('o0', 1);
    const [prev] = await h.outputs('o1', 1);
    const [glob] = await h.outputs('o2', 1);
    expect([gt?.['limit'], prev?.['limit'], glob?.payload]).toEqual([3, 9, 'g']);
  });

  it('sends to every matching output, or only the first with checkall false, and otherwise', async () => {
    const rules = [{ t: 'gt', v: '1', vt: 'num' }, { t: 'gt', v: '2', vt: 'num' }, { t: 'else' }];
    h = await runFlow([sw(rules), sw(rules, { id: 'first', checkall: 'false', wires: [['f0'], ['f1'], ['f2']] })], { nodes });
    for (const p of [3, 0]) {
      h.send('s', { payload: p });
      h.send('first', { payload: p });
    }
    await h.settle();
    const payloads = (id: string) => h?.received(id).map((m) => m.payload);
    expect([payloads('o0'), payloads('o1'), payloads('o2')]).toEqual([[3], [3], [0]]);
    expect([payloads('f0'), payloads('f1'), payloads('f2')]).toEqual([[3], [], [0]]);
    const [a] = h.received('o0');
    const [b] = h.received('o1');
    expect(a).not.toBe(b);
  });

  it('evaluates JSONata rules and a JSONata property, keeping message order', async () => {
    h = await runFlow(
      [
        sw([{ t: 'jsonata_exp', v: 'payload.n > 2', vt: 'jsonata' }, { t: 'else' }]),
        sw([{ t: 'eq', v: '"big"', vt: 'jsonata' }], { id: 'prop', property: 'payload.n > 2 ? "big" : "small"', propertyType: 'jsonata', wires: [['p0']] }),
      ],
      { nodes },
    );
    for (let n = 0; n < 6; n++) {
      h.send('s', { payload: { n } });
      h.send('prop', { payload: { n } });
    }
    const big = await h.outputs('o0', 3);
    const small = await h.outputs('o1', 3);
    expect(big.map((m) => (m.payload as { n: number }).n)).toEqual([3, 4, 5]);
    expect(small.map((m) => (m.payload as { n: number }).n)).toEqual([0, 1, 2]);
    expect((await h.outputs('p0', 3)).map((m) => (m.payload as { n: number }).n)).toEqual([3, 4, 5]);
  });

  it('selects the head, tail and index range of a sequence, and repairs sequences', async () => {
    const seq = (id: string, count: number) =>
      Array.from({ length: count }, (_v, index) => ({ payload: index * 10, parts: { id, index, count } }));
    h = await runFlow(
      [
        sw([{ t: 'head', v: '2', vt: 'num' }, { t: 'tail', v: '2', vt: 'num' }, { t: 'index', v: '1', vt: 'num', v2: '2', v2t: 'num' }]),
        sw([{ t: 'lt', v: '25', vt: 'num' }, { t: 'else' }], { id: 'rep', repair: true, wires: [['r0'], ['r1']] }),
      ],
      { nodes },
    );
    for (const m of seq('a', 5)) h.send('s', m);
    for (const m of seq('b', 5)) h.send('rep', m);
    await h.settle();
    const pay = (id: string) => h?.received(id).map((m) => m.payload);
    expect([pay('o0'), pay('o1'), pay('o2')]).toEqual([[0, 10], [30, 40], [10, 20]]);
    const r0 = h.received('r0').map((m) => m['parts'] as { id: string; index: number; count: number });
    const r1 = h.received('r1').map((m) => m['parts'] as { id: string; index: number; count: number });
    expect(pay('r0')).toEqual([0, 10, 20]);
    expect(r0.map((p) => [p.index, p.count])).toEqual([[0, 3], [1, 3], [2, 3]]);
    expect(r1.map((p) => [p.index, p.count])).toEqual([[0, 2], [1, 2]]);
    expect(r0[0]?.id).not.toBe(r1[0]?.id);
    expect(new Set(r0.map((p) => p.id)).size).toBe(1);
  });

  it('has one output per rule and fails the deploy on bad rules', async () => {
    expect(transformNodes.find((n) => n.type === 'switch')?.outputs).toBeTypeOf('function');
    await expect(runFlow([sw([{ t: 'regex', v: '([', vt: 'str' }])], { nodes })).rejects.toThrow(
      /node s \(switch\) property "rules.0.v": rule 1: invalid regular expression/,
    );
    await expect(runFlow([sw([{ t: 'eq', v: '1 +', vt: 'jsonata' }])], { nodes })).rejects.toThrow(/property "rules.0.v": rule 1: invalid JSONata/);
    await expect(runFlow([sw([{ t: 'near', v: '1' }])], { nodes })).rejects.toThrow(/property "rules.0.t"/);
    await expect(runFlow([sw([], { checkall: 'maybe' })], { nodes })).rejects.toThrow(/property "checkall"/);
  });

  it('passes the same message object to the first matching output only', async () => {
    h = await runFlow([sw([{ t: 'nnull' }, { t: 'nnull' }])], { nodes });
    const msg = { payload: { x: 1 } };
    h.send('s', msg);
    const [first] = (await h.outputs('o0', 1)) as Msg[];
    const [second] = (await h.outputs('o1', 1)) as Msg[];
    expect(first?.payload).toEqual(second?.payload);
    expect(first?.payload).not.toBe(second?.payload);
  });
});
