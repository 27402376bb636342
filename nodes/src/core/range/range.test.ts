import { afterEach, describe, expect, it } from 'vitest';
import { runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const range = (extra: Record<string, unknown>) => ({
  id: 'r', type: 'range', minin: '0', maxin: '10', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload', wires: [['out']], ...extra,
});

async function through(extra: Record<string, unknown>, values: unknown[]): Promise<unknown[]> {
  h = await runFlow([range(extra)], { nodes: transformNodes });
  for (const v of values) h.send('r', v === undefined ? { other: 1 } : { payload: v });
  await h.settle();
  const out = h.received('out').map((m) => m.payload);
  await h.close();
  h = undefined;
  return out;
}

describe('range node', () => {
  it('scales, clamps, rolls and drops like Node-RED', async () => {
    expect(await through({}, [5, '2.5', 20, -5])).toEqual([50, 25, 200, -50]);
    expect(await through({ action: 'clamp' }, [20, -5, 5])).toEqual([100, 0, 50]);
    expect(await through({ action: 'roll' }, [12, -2, 10])).toEqual([20, 80, 0]);
    expect(await through({ action: 'drop' }, [12, 5, -1])).toEqual([50]);
    expect(await through({ round: true, maxout: '10' }, [3.3, 3.6])).toEqual([3, 4]);
  });

  it('swaps reversed ranges, passes messages without the property, drops non-numbers', async () => {
    expect(await through({ minin: '10', maxin: '0', minout: '100', maxout: '0' }, [5])).toEqual([50]);
    expect(await through({ minout: '100', maxout: '0' }, [2])).toEqual([80]);
    expect(await through({}, [undefined, 'abc', 1])).toEqual([undefined, 10]);
  });

  it('scales a nested property', async () => {
    h = await runFlow([range({ property: 'data.level' })], { nodes: transformNodes });
    h.send('r', { data: { level: 1 } });
    expect((await h.outputs('out', 1))[0]?.['data']).toEqual({ level: 10 });
  });

  it('fails the deploy when a bound is not a number', async () => {
    await expect(runFlow([range({ maxin: 'ten' })], { nodes: transformNodes })).rejects.toThrow(/node r \(range\) property "maxin"/);
    await expect(runFlow([range({ minout: '' })], { nodes: transformNodes })).rejects.toThrow(/property "minout"/);
    await expect(runFlow([range({ action: 'fold' })], { nodes: transformNodes })).rejects.toThrow(/property "action"/);
  });
});
