import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * EnOS device authentication. A device connects with
 *   client id  `{deviceKey}|securemode=2,signmethod=sha256,timestamp={ms}|`
 *   username   `{deviceKey}&{productKey}`
 *   password   upper-case hex hash of the parameters sorted by name and concatenated as
 *              name+value, followed by the secret: clientId{dk}deviceKey{dk}productKey{pk}timestamp{ms}{secret}
 * securemode 2 signs with the device secret, 3 with the product secret (dynamic activation).
 * Sub-device logins through a gateway use the same signature over their own parameters.
 */

export type SignMethod = 'sha256' | 'sha1' | 'md5' | 'hmacsha1';
const signMethods: readonly SignMethod[] = ['sha256', 'sha1', 'md5', 'hmacsha1'];

export interface ClientIdInfo {
  deviceKey: string;
  secureMode: number;
  signMethod: SignMethod;
  timestamp: string;
}

/** Parses an EnOS client id; undefined when it is not one. */
export function parseClientId(clientId: string): ClientIdInfo | undefined {
  const first = clientId.indexOf('|');
  if (first <= 0) return undefined;
  const last = clientId.indexOf('|', first + 1);
  if (last < 0) return undefined;
  const deviceKey = clientId.slice(0, first);
  const params = new Map<string, string>();
  for (const part of clientId.slice(first + 1, last).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const secureMode = Number(params.get('securemode'));
  const signMethod = (params.get('signmethod') ?? 'sha256').toLowerCase();
  const timestamp = params.get('timestamp');
  if (!Number.isInteger(secureMode) || timestamp === undefined || timestamp === '') return undefined;
  if (!(signMethods as readonly string[]).includes(signMethod)) return undefined;
  return { deviceKey, secureMode, signMethod: signMethod as SignMethod, timestamp };
}

/** `{deviceKey}&{productKey}` */
export function parseUsername(username: string | undefined): { deviceKey: string; productKey: string } | undefined {
  if (!username) return undefined;
  const amp = username.indexOf('&');
  if (amp <= 0 || amp === username.length - 1) return undefined;
  return { deviceKey: username.slice(0, amp), productKey: username.slice(amp + 1) };
}

function signingString(params: Record<string, string>, secret: string): string {
  return (
    Object.keys(params)
      .sort()
      .map((k) => `${k}${params[k]}`)
      .join('') + secret
  );
}

/** The signature EnOS SDKs compute: hash(sorted name+value pairs + secret), upper-case hex. */
export function sign(params: Record<string, string>, secret: string, method: SignMethod = 'sha256'): string {
  const text = signingString(params, secret);
  if (method === 'hmacsha1') return createHmac('sha1', secret).update(text, 'utf8').digest('hex').toUpperCase();
  return createHash(method).update(text, 'utf8').digest('hex').toUpperCase();
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a signature. For `hmacsha1` both forms the SDKs produce are accepted: the Node SDK
 * computes a real HMAC-SHA1, older Java SDKs a plain SHA-1 under that name.
 */
export function verifySignature(params: Record<string, string>, secret: string, method: SignMethod, signature: string): boolean {
  if (sameText(sign(params, secret, method), signature)) return true;
  return method === 'hmacsha1' && sameText(sign(params, secret, 'sha1'), signature);
}

/** The password a device sends at CONNECT, for the simulator and tests. */
export function connectPassword(o: { productKey: string; deviceKey: string; timestamp: string; secret: string }): string {
  return sign({ clientId: o.deviceKey, deviceKey: o.deviceKey, productKey: o.productKey, timestamp: o.timestamp }, o.secret, 'sha256');
}

/** Client id, username and password of an EnOS device, as the SDKs build them. */
export function connectCredentials(o: { productKey: string; deviceKey: string; secret: string; secureMode?: 2 | 3; timestamp?: number }): {
  clientId: string;
  username: string;
  password: string;
} {
  const timestamp = String(o.timestamp ?? Date.now());
  return {
    clientId: `${o.deviceKey}|securemode=${o.secureMode ?? 2},signmethod=sha256,timestamp=${timestamp}|`,
    username: `${o.deviceKey}&${o.productKey}`,
    password: connectPassword({ productKey: o.productKey, deviceKey: o.deviceKey, timestamp, secret: o.secret }),
  };
}

export function verifyConnectPassword(o: { productKey: string; info: ClientIdInfo; secret: string; password: string }): boolean {
  const params = { clientId: o.info.deviceKey, deviceKey: o.info.deviceKey, productKey: o.productKey, timestamp: o.info.timestamp };
  return verifySignature(params, o.secret, o.info.signMethod, o.password);
}
