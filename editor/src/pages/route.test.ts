import { describe, expect, it } from 'vitest';
import { FLOWS_PAGE, hashFor, parseHash } from './route.js';

describe('hash routes', () => {
  it('treats an empty hash as the flow canvas', () => {
    expect(parseHash('')).toEqual({ page: FLOWS_PAGE, params: [] });
    expect(parseHash('#/')).toEqual({ page: FLOWS_PAGE, params: [] });
  });

  it('reads the page and its parameters', () => {
    expect(parseHash('#/devices')).toEqual({ page: 'devices', params: [] });
    expect(parseHash('#/devices/pk%2F1/dk%20a')).toEqual({ page: 'devices', params: ['pk/1', 'dk a'] });
  });

  it('round-trips parameters with slashes and spaces', () => {
    expect(parseHash(hashFor('devices', 'a/b', 'c d%'))).toEqual({ page: 'devices', params: ['a/b', 'c d%'] });
  });

  it('keeps a malformed escape as typed', () => {
    expect(parseHash('#/x/%E0%A4%A')).toEqual({ page: 'x', params: ['%E0%A4%A'] });
  });
});
