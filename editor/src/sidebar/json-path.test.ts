import { describe, expect, it } from 'vitest';
import { childPath, decodeDebugValue, previewOf } from './json-path.js';

describe('debug value helpers', () => {
  it('builds Node-RED property paths', () => {
    expect(childPath('', 'payload')).toBe('payload');
    expect(childPath('payload', 'items')).toBe('payload.items');
    expect(childPath('payload.items', 2)).toBe('payload.items[2]');
    expect(childPath('payload', 'odd key')).toBe('payload["odd key"]');
  });

  it('decodes undefined and JSON-encoded objects, previews values', () => {
    expect(decodeDebugValue({ __gridflow: 'undefined' }, 'undefined')).toBeUndefined();
    expect(decodeDebugValue('{"a":1}', 'Object')).toEqual({ a: 1 });
    expect(decodeDebugValue('{"a":1}', 'string[7]')).toBe('{"a":1}');
    expect(previewOf({ type: 'Buffer', data: [1, 2] })).toBe('buffer[2]');
    expect(previewOf([1, 2, 3])).toBe('array[3]');
  });
});
