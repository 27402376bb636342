import { describe, expect, it } from 'vitest';
import { decryptForEdge, deriveEdgeKey, encryptForEdge } from './credentials-crypto.js';

describe('edge credential sealing', () => {
  it('round-trips with the key derived from the credential and fails with another', () => {
    const key = deriveEdgeKey('credential-one-xxxxxxxxxxxxxxxx');
    const sealed = encryptForEdge(key, { n1: { password: 's3cret' } });
    expect(sealed).not.toContain('s3cret');
    expect(decryptForEdge(key, sealed)).toEqual({ n1: { password: 's3cret' } });
    expect(() => decryptForEdge(deriveEdgeKey('credential-two-xxxxxxxxxxxxxxxx'), sealed)).toThrow();
  });
});
