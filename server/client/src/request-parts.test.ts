import { describe, expect, it } from 'vitest';
import { cookieFrom, fillPath, queryString } from './request-parts.js';

describe('request parts', () => {
  it('fills path parameters, encoded, and names a missing one', () => {
    expect(fillPath('getDevice', '/api/devices/:productKey/:deviceKey', { productKey: 'p 1', deviceKey: 'd/2' })).toBe(
      '/api/devices/p%201/d%2F2',
    );
    expect(fillPath('getVersion', '/api/versions/:n', { n: 7 })).toBe('/api/versions/7');
    expect(() => fillPath('getDevice', '/api/devices/:productKey/:deviceKey', { productKey: 'p' })).toThrow(
      'getDevice: missing path parameter "deviceKey"',
    );
  });

  it('writes a query string without empty values', () => {
    expect(queryString(undefined)).toBe('');
    expect(queryString({ a: undefined, b: null })).toBe('');
    expect(
      queryString({
        state: 'raised',
        acknowledged: false,
        limit: 5,
        since: new Date('2026-01-01T00:00:00Z'),
        severity: ['major', 'critical'],
      }),
    ).toBe('?state=raised&acknowledged=false&limit=5&since=2026-01-01T00%3A00%3A00.000Z&severity=major%2Ccritical');
  });

  it('finds the session cookie and sees it cleared', () => {
    const set = ['other=1; Path=/', 'gridflow_session=abc123; Path=/; HttpOnly; SameSite=Strict'];
    expect(cookieFrom(set, 'gridflow_session')).toEqual({ value: 'abc123', cleared: false });
    expect(
      cookieFrom(['gridflow_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], 'gridflow_session')?.cleared,
    ).toBe(true);
    expect(cookieFrom(['gridflow_session=x; Max-Age=0'], 'gridflow_session')?.cleared).toBe(true);
    expect(cookieFrom(['gridflow_sessionX=1'], 'gridflow_session')).toBeUndefined();
  });
});
