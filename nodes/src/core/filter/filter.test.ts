import { afterEach, describe, expect, it } from 'vitest';
import { probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(() => h?.close());

async function run(props: Record<string, unknown>, msgs: Record<string, unknown>[]): Promise<unknown[]> {
  h = startFlows();
  await h.deploy([
    tab(),
    {
      id: 'f',
      type: 'rbe',
      z: 't1',
      func: 'rbe',
      gap: '',
      start: '',
      inout: 'out',
      septopics: true,
      property: 'payload',
      topi: 'topic',
      ...props,
      wires: [['p']],
    },
    probe('p'),
  ]);
  for (const m of msgs) h.send('f', m);
  await h.settle();
  return h.payloads('p');
}
const values = (...v: unknown[]) => v.map((payload) => ({ payload }));

describe('filter (rbe)', () => {
  it('rbe blocks repeats, comparing objects deeply', async () => {
    expect(await run({}, values(1, 1, 2, 2, 1, { a: [1] }, { a: [1] }, { a: [2] }))).toEqual([
      1,
      2,
      1,
      { a: [1] },
      { a: [2] },
    ]);
  });

  it('rbei also ignores the first value', async () => {
    expect(await run({ func: 'rbei' }, values(1, 1, 2, 3))).toEqual([2, 3]);
  });

  it('tracks each topic separately, or all together when septopics is off', async () => {
    const msgs = [
      { topic: 'a', payload: 1 },
      { topic: 'b', payload: 1 },
      { topic: 'a', payload: 1 },
      { topic: 'b', payload: 2 },
    ];
    expect(await run({}, msgs)).toEqual([1, 1, 2]);
    await h.close();
    expect(await run({ septopics: false }, msgs)).toEqual([1, 2]);
  });

  it('msg.reset forgets the value of its topic, or of every topic', async () => {
    const out = await run({}, [
      { topic: 'a', payload: 1 },
      { topic: 'b', payload: 1 },
      { topic: 'a', reset: true },
      { topic: 'a', payload: 1 },
      { topic: 'b', payload: 1 },
      { reset: true },
      { topic: 'b', payload: 1 },
    ]);
    expect(out).toEqual([1, 1, 1, 1]);
  });

  it('deadband passes values that moved more than the gap from the last output', async () => {
    expect(await run({ func: 'deadband', gap: '5' }, values(10, 12, 16, 20, 21.5, 21))).toEqual([10, 16, 21.5]);
    await h.close();
    expect(await run({ func: 'deadbandEq', gap: '5' }, values(10, 15, 19, 20))).toEqual([10, 15, 20]);
  });

  it('deadband against the last input lets slow drift through without output', async () => {
    expect(await run({ func: 'deadband', gap: '5', inout: 'in' }, values(10, 14, 18, 24))).toEqual([10, 24]);
  });

  it('takes a percentage gap of the previous value', async () => {
    expect(await run({ func: 'deadband', gap: '10%' }, values(100, 105, 111, '115.5'))).toEqual([100, 111]);
  });

  it('narrowband drops outliers, from a start value if given', async () => {
    expect(await run({ func: 'narrowband', gap: '5' }, values(10, 30, 12, 17, 16))).toEqual([10, 12, 17, 16]);
    await h.close();
    expect(await run({ func: 'narrowbandEq', gap: '5', start: '20' }, values(10, 25, 21, 16, 17))).toEqual([21, 17]);
  });

  it('warns when a band mode gets no number, and reads another property when asked', async () => {
    const out = await run({ func: 'deadband', gap: '1', property: 'data.v' }, [
      { data: { v: 'x' } },
      { data: { v: '3' } },
      { payload: 9 },
    ]);
    expect(out).toEqual([undefined]);
    expect(h.at('p')[0]?.['data']).toEqual({ v: '3' });
    expect(h.warnings.map((w) => w.message)).toEqual(['no number found in payload']);
  });

  it('fails the deploy on a malformed gap, naming it', async () => {
    h = startFlows();
    await expect(h.deploy([tab(), { id: 'f', type: 'rbe', z: 't1', func: 'deadband', gap: 'ten' }])).rejects.toThrow(
      /property "gap"/,
    );
  });
});
