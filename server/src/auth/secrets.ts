import { createHash, randomBytes } from 'node:crypto';

/** A random session id or token secret: 32 bytes, base64url. */
export const randomSecret = (prefix = '') => prefix + randomBytes(32).toString('base64url');

/** A short random id for listing (token ids). */
export const randomId = () => randomBytes(9).toString('base64url');

/** Secrets are stored only as SHA-256: a leaked database does not leak live sessions or tokens. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** API token secrets start with this, so they are recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'gft_';
