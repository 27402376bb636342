import type { AuthenticateError, Client, Subscription } from 'aedes';
import type { Logger } from '../logger.js';
import type { DeviceStateCache } from './device-state.js';
import { parseClientId, parseUsername, verifyConnectPassword } from './enos-auth.js';
import { parseTopic } from './enos-topics.js';
import type { ModelCache } from './model-cache.js';
import { deviceKeyOf, identityFor, topicInfo, type DeviceSession } from './sessions.js';
import type { DeviceStore } from './store.js';

/**
 * CONNECT authentication and topic ACL of the device broker. A device publishes only under its
 * own `/sys/{pk}/{dk}/` and `/ext/session/{pk}/{dk}/` topics, a gateway also under those of its
 * logged-in sub-devices. It may subscribe under its own and those of sub-devices in its
 * topology: SDKs re-subscribe sub-device topics on reconnect before logging them in again.
 */

export type AuthResult = { ok: true; session: DeviceSession } | { ok: false; returnCode: 2 | 4 | 5; reason: string };

export function authError(returnCode: 2 | 4 | 5, reason: string): AuthenticateError {
  const err = new Error(reason) as AuthenticateError;
  err.returnCode = returnCode;
  return err;
}

export async function authenticateDevice(
  deps: { store: DeviceStore; models: ModelCache; state: DeviceStateCache; logger: Logger },
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<AuthResult> {
  const info = parseClientId(client.id);
  if (!info) return { ok: false, returnCode: 2, reason: `client id "${client.id}" is not {deviceKey}|securemode=…,signmethod=…,timestamp=…|` };
  const user = parseUsername(username);
  if (!user || user.deviceKey !== info.deviceKey) {
    return { ok: false, returnCode: 4, reason: `username must be "${info.deviceKey}&{productKey}"` };
  }
  const { productKey, deviceKey } = user;
  const key = deviceKeyOf(productKey, deviceKey);
  const [device, product] = await Promise.all([deps.store.getDevice(productKey, deviceKey), deps.store.getProduct(productKey)]);
  if (!device || !product) return { ok: false, returnCode: 4, reason: `device ${key} is not registered` };
  if (device.disabled) return { ok: false, returnCode: 5, reason: `device ${key} is disabled` };
  let mode: DeviceSession['mode'];
  let secret: string;
  if (info.secureMode === 2) {
    mode = 'normal';
    secret = device.deviceSecret;
  } else if (info.secureMode === 3) {
    if (product.authMode !== 'dynamic') return { ok: false, returnCode: 5, reason: `product ${productKey} does not allow dynamic activation` };
    // The stored state lags the live one by a flush interval: a device that activated a moment ago is still 'inactive' there.
    if ((deps.state.currentState(productKey, deviceKey) ?? device.state) !== 'inactive') return { ok: false, returnCode: 5, reason: `device ${key} is already activated` };
    mode = 'activation';
    secret = product.productSecret;
  } else return { ok: false, returnCode: 2, reason: `securemode=${info.secureMode} is not supported (2 or 3)` };
  if (!password || !verifyConnectPassword({ productKey, info, secret, password: password.toString('utf8') })) {
    return { ok: false, returnCode: 4, reason: `wrong password for device ${key}` };
  }
  if (!(await deps.models.load(product.modelId))) return { ok: false, returnCode: 5, reason: `model "${product.modelId}" does not exist` };
  const topology = new Map<string, string>();
  if (product.nodeType === 'gateway' && mode === 'normal') {
    for (const sub of await deps.store.listSubDevices({ productKey, deviceKey })) {
      const subProduct = await deps.store.getProduct(sub.productKey);
      if (subProduct && (await deps.models.load(subProduct.modelId))) topology.set(deviceKeyOf(sub.productKey, sub.deviceKey), subProduct.modelId);
    }
  }
  return {
    ok: true,
    session: {
      client,
      productKey,
      deviceKey,
      key,
      modelId: product.modelId,
      nodeType: product.nodeType,
      mode,
      subDevices: new Map(),
      topology,
      ready: false,
      lastTopic: undefined,
    },
  };
}

/** May this session publish to the topic? (Also the identity check the message path relies on.) */
export function mayPublish(session: DeviceSession, topic: string): boolean {
  const t = topicInfo(session, topic)?.parsed;
  if (!t) return false;
  if (session.mode === 'activation') return t.scope === 'ext' && t.productKey === session.productKey && t.deviceKey === session.deviceKey;
  return identityFor(session, t) !== undefined;
}

/** May this session subscribe to the filter? Wildcards only after the device prefix. */
export function maySubscribe(session: DeviceSession, sub: Subscription): boolean {
  const t = parseTopic(sub.topic);
  if (!t) return false;
  if ([t.productKey, t.deviceKey].some((s) => s.includes('+') || s.includes('#'))) return false;
  if (t.productKey === session.productKey && t.deviceKey === session.deviceKey) return session.mode === 'normal' || t.scope === 'ext';
  if (session.mode !== 'normal') return false;
  const key = deviceKeyOf(t.productKey, t.deviceKey);
  return session.subDevices.has(key) || session.topology.has(key);
}
