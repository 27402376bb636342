import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';

describe('cookies', () => {
  it('parses pairs, decodes values and skips malformed ones', () => {
    const c = parseCookies('a=1; b="two"; bad; c=%E2%9C%93; d=%E0%A4%A');
    expect(c.get('a')).toBe('1');
    expect(c.get('b')).toBe('two');
    expect(c.get('c')).toBe('✓');
    expect(c.has('d')).toBe(false);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('always sets HttpOnly and SameSite=Lax', () => {
    expect(serializeCookie('s', 'v', { maxAgeSeconds: 10, secure: true })).toBe('s=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=10; Secure');
  });
});
