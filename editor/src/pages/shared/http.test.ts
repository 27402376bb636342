import { describe, expect, it } from 'vitest';
import { fillPath, PageRequestError, withModule } from './http.js';

describe('page requests', () => {
  it('fills and escapes path parameters', () => {
    expect(fillPath('/api/devices/:productKey/:deviceKey', { productKey: 'p 1', deviceKey: 'a/b' })).toBe('/api/devices/p%201/a%2Fb');
    expect(() => fillPath('/api/devices/:productKey', {})).toThrow('missing parameter "productKey"');
  });

  it('names the missing module when a route is absent', async () => {
    const absent = Promise.reject(new PageRequestError('no such endpoint: GET /api/alerts', 404, 'NOT_FOUND'));
    await expect(withModule('The alerts module', absent)).rejects.toThrow('The alerts module is not enabled on this server');
    const other = Promise.reject(new PageRequestError('no device "x"', 404, 'NOT_FOUND'));
    await expect(withModule('Device management', other)).rejects.toThrow('no device "x"');
  });
});
