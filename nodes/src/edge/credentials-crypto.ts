import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Node credentials travel to an edge encrypted with a key derived from the edge's own credential.
 * The server keeps only this derived key (and a hash of the credential), never the credential.
 */
export function deriveEdgeKey(edgeCredential: string): string {
  return Buffer.from(hkdfSync('sha256', edgeCredential, 'gridflow-edge', 'node-credentials', 32)).toString('hex');
}

export function encryptForEdge(edgeKey: string, data: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(edgeKey, 'hex'), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function decryptForEdge(edgeKey: string, sealed: string): unknown {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 29) throw new Error('sealed credentials are too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(edgeKey, 'hex'), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as unknown;
}
