import { describe, expect, it } from 'vitest';
import { createEwma, createRollingWindow, zScore } from './rolling.js';

describe('rolling window', () => {
  it('keeps mean and deviation of the last N values', () => {
    const w = createRollingWindow(3);
    expect(Number.isNaN(w.mean())).toBe(true);
    for (const x of [100, 1, 2, 3]) w.push(x);
    expect(w.count).toBe(3);
    expect(w.mean()).toBeCloseTo(2);
    expect(w.std()).toBeCloseTo(Math.sqrt(2 / 3));
    for (const x of [10, 10, 10]) w.push(x);
    expect(w.mean()).toBe(10);
    expect(w.std()).toBe(0);
  });

  it('does not drift over many values', () => {
    const w = createRollingWindow(10);
    for (let i = 0; i < 100_000; i++) w.push(1e6 + (i % 10) * 0.1);
    expect(w.mean()).toBeCloseTo(1e6 + 0.45, 6);
  });
});

describe('z-score', () => {
  it('scores distance in standard deviations', () => {
    expect(zScore(13, 10, 1.5)).toBe(2);
    expect(zScore(7, 10, 1.5)).toBe(2);
    expect(zScore(10, 10, 0)).toBe(0);
    expect(zScore(11, 10, 0)).toBe(Infinity);
  });

  it('flags an outlier against a rolling baseline', () => {
    const w = createRollingWindow(20);
    const series = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10];
    for (const x of series) w.push(x);
    expect(zScore(10.5, w.mean(), w.std())).toBeLessThan(1);
    expect(zScore(25, w.mean(), w.std())).toBeGreaterThan(10);
  });
});

describe('ewma', () => {
  it('follows the mean with weight alpha and tracks variance', () => {
    const e = createEwma(0.5);
    e.update(10);
    expect(e.mean).toBe(10);
    expect(e.variance).toBe(0);
    e.update(20);
    expect(e.mean).toBe(15);
    expect(e.variance).toBe(25); // 0.5 * (0 + 0.5 * 100)
    for (let i = 0; i < 50; i++) e.update(20);
    expect(e.mean).toBeCloseTo(20, 9);
    expect(e.variance).toBeCloseTo(0, 9);
  });
});
