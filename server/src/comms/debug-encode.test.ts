import { describe, expect, it } from 'vitest';
import { encodeDebugValue, formatOf, UNDEFINED_MARKER } from './debug-encode.js';

const limits = { maxStringLength: 10, maxArrayLength: 3, maxDepth: 3 };

describe('debug encoding', () => {
  it('labels types as Node-RED does', () => {
    expect(formatOf('abc')).toBe('string[3]');
    expect(formatOf([1, 2])).toBe('array[2]');
    expect(formatOf(Buffer.from('hi'))).toBe('buffer[2]');
    expect(formatOf({})).toBe('Object');
    expect(formatOf(null)).toBe('null');
    expect(formatOf(undefined)).toBe('undefined');
    expect(formatOf(1)).toBe('number');
  });

  it('truncates long strings, arrays and buffers and says so', () => {
    expect(encodeDebugValue('x'.repeat(20), limits)).toEqual({ format: 'string[20]', msg: `${'x'.repeat(10)}…`, truncated: true });
    expect(encodeDebugValue([1, 2, 3, 4], limits).msg).toEqual([1, 2, 3]);
    expect(encodeDebugValue(Buffer.from([1, 2, 3, 4, 5]), limits)).toEqual({
      format: 'buffer[5]',
      msg: { type: 'Buffer', data: [1, 2, 3] },
      truncated: true,
    });
    expect(encodeDebugValue('short', limits).truncated).toBe(false);
  });

  it('survives cycles, getters that throw, and values JSON cannot carry', () => {
    const a: Record<string, unknown> = { n: NaN, big: 10n, u: undefined, f: function named() {}, d: new Date(0) };
    a['self'] = a;
    Object.defineProperty(a, 'bad', {
      enumerable: true,
      get() {
        throw new Error('nope');
      },
    });
    const { msg } = encodeDebugValue(a, { ...limits, maxStringLength: 100 });
    expect(msg).toEqual({
      n: 'NaN',
      big: '10n',
      u: UNDEFINED_MARKER,
      f: '[Function named]',
      d: '1970-01-01T00:00:00.000Z',
      self: '[Circular]',
      bad: '[getter threw: nope]',
    });
    expect(() => JSON.stringify(msg)).not.toThrow();
  });

  it('repeats shared (non-circular) references and cuts deep nesting', () => {
    const shared = { v: 1 };
    expect(encodeDebugValue({ a: shared, b: shared }, limits).msg).toEqual({ a: { v: 1 }, b: { v: 1 } });
    const deep = { l1: { l2: { l3: { l4: 1 } } } };
    expect(encodeDebugValue(deep, limits)).toMatchObject({ msg: { l1: { l2: { l3: '[Object]' } } }, truncated: true });
  });

  it('bounds the work for huge objects', () => {
    const huge: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) huge[`k${i}`] = i;
    const { msg, truncated } = encodeDebugValue(huge, { ...limits, maxNodes: 100 });
    expect(Object.keys(msg as object).length).toBeLessThanOrEqual(101);
    expect(truncated).toBe(true);
  });
});
