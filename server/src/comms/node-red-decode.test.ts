import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { UNDEFINED_MARKER } from './debug-encode.js';
import { decodeNodeRedDebug } from './node-red-decode.js';

// The encoder the debug node uses, straight from Node-RED.
const nrUtil = createRequire(import.meta.url)('@node-red/util/lib/util') as {
  encodeObject(m: { msg: unknown }, o: { maxLength: number }): { msg: unknown; format: string };
};

const encode = (value: unknown, maxLength = 1000) => {
  const e = nrUtil.encodeObject({ msg: value }, { maxLength }) as { msg: unknown; format: string };
  return decodeNodeRedDebug(e.msg, e.format);
};

describe('decoding Node-RED debug encoding', () => {
  it('restores primitives', () => {
    expect(encode(42).value).toBe(42);
    expect(encode(true).value).toBe(true);
    expect(encode('text').value).toBe('text');
    expect(encode(null).value).toBeNull();
    expect(encode(undefined).value).toEqual(UNDEFINED_MARKER);
  });

  it('restores objects and arrays with their special values', () => {
    const value = { a: [1, 2], n: NaN, f: () => 1, e: new Error('bad'), b: Buffer.from([1, 2]), s: new Set([1]), m: new Map([['k', 1]]) };
    expect(encode(value).value).toEqual({
      a: [1, 2],
      n: 'NaN',
      f: '[Function]',
      e: { name: 'Error', message: 'bad' },
      b: { type: 'Buffer', data: [1, 2] },
      s: [1],
      m: { k: 1 },
    });
  });

  it('restores buffers and long arrays, marking truncation', () => {
    expect(encode(Buffer.from([255, 0]))).toEqual({ value: { type: 'Buffer', data: [255, 0] }, truncated: false });
    const long = encode(Array.from({ length: 20 }, (_, i) => i), 5);
    expect(long).toEqual({ value: [0, 1, 2, 3, 4], truncated: true });
    expect(encode(new Error('top')).value).toEqual({ name: 'Error', message: 'top' });
  });
});
