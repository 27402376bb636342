import { describe, expect, it } from 'vitest';
import { clears, describeCondition, raises, type Condition } from './threshold-condition.js';

const cond = (op: Condition['op'], threshold: number, hysteresis = 0, threshold2 = 0): Condition => ({
  op,
  threshold,
  threshold2,
  hysteresis,
});

describe('threshold conditions', () => {
  it('raise above and clear only below the hysteresis band', () => {
    const c = cond('>', 80, 5);
    expect([79, 80, 81].map((v) => raises(c, v))).toEqual([false, false, true]);
    expect([76, 75, 74].map((v) => clears(c, v))).toEqual([false, true, true]);
  });

  it('mirror for low limits', () => {
    const c = cond('<=', 10, 2);
    expect([9, 10, 11].map((v) => raises(c, v))).toEqual([true, true, false]);
    expect([12, 12.5].map((v) => clears(c, v))).toEqual([false, true]);
  });

  it('handle ranges', () => {
    const inside = cond('between', 10, 1, 20);
    expect([9, 10, 20, 21].map((v) => raises(inside, v))).toEqual([false, true, true, false]);
    expect([9.5, 8.5, 20.5, 21.5].map((v) => clears(inside, v))).toEqual([false, true, false, true]);
    const outside = cond('outside', 10, 1, 20);
    expect([9, 10, 20, 21].map((v) => raises(outside, v))).toEqual([true, false, false, true]);
    expect([10.5, 11, 19, 19.5].map((v) => clears(outside, v))).toEqual([false, true, true, false]);
  });

  it('handle equality, with hysteresis as a tolerance', () => {
    const eq = cond('==', 1);
    expect([raises(eq, 1), raises(eq, 0), clears(eq, 0), clears(eq, 1)]).toEqual([true, false, true, false]);
    const ne = cond('!=', 50, 0.5);
    expect([raises(ne, 51), clears(ne, 50.4), clears(ne, 51)]).toEqual([true, true, false]);
  });

  it('describes itself', () => {
    expect(describeCondition(cond('>=', 3))).toBe('>= 3');
    expect(describeCondition(cond('between', 1, 0, 2))).toBe('between 1 and 2');
  });
});
