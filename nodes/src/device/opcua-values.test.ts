import { describe, expect, it } from 'vitest';
import { coerceValue, nodeIdList, plainValue } from './opcua-values.js';

describe('OPC UA values', () => {
  it('turns typed arrays and nested arrays into plain arrays', () => {
    expect(plainValue(new Float64Array([1.5, 2]))).toEqual([1.5, 2]);
    expect(plainValue([new Int32Array([1]), 'x'])).toEqual([[1], 'x']);
    expect(plainValue(undefined)).toBeNull();
    const buf = Buffer.from('ab');
    expect(plainValue(buf)).toBe(buf);
  });

  it('coerces message values to the data type, refusing what does not fit', () => {
    expect(coerceValue('21.5', 'Double')).toBe(21.5);
    expect(coerceValue('true', 'Boolean')).toBe(true);
    expect(coerceValue([1, 2], 'Int16')).toEqual([1, 2]);
    expect(coerceValue(2 ** 32 + 5, 'UInt64')).toEqual([1, 5]);
    expect(coerceValue('2024-01-02T00:00:00Z', 'DateTime')).toEqual(new Date('2024-01-02T00:00:00Z'));
    expect(() => coerceValue(300, 'Byte')).toThrow(/outside Byte/);
    expect(() => coerceValue(1.5, 'Int32')).toThrow(/not an integer/);
    expect(() => coerceValue('abc', 'Float')).toThrow(/not a number/);
    expect(() => coerceValue([1, 'x'], 'Double', 'input')).toThrow(/input\[1\]/);
  });

  it('splits node id lists by line and by commas outside brackets', () => {
    expect(nodeIdList('ns=1;s=A\n ns=1;s=B , ns=2;i=5\n\n')).toEqual(['ns=1;s=A', 'ns=1;s=B', 'ns=2;i=5']);
  });
});
