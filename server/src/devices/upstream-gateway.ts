import { replyCodes } from '@gridflow/runtime/contract';
import { verifySignature, type SignMethod } from './enos-auth.js';
import { deviceKeyOf, type DeviceIdentity } from './sessions.js';
import type { DeviceRecord } from './store.js';
import type { Request, UpstreamContext } from './upstream-context.js';

/** Handlers of gateway topics: topology add / delete / get, sub-device login / logout. */

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const signMethodOf = (v: unknown): SignMethod | undefined => {
  const m = (text(v) ?? 'sha256').toLowerCase();
  return m === 'sha256' || m === 'sha1' || m === 'md5' || m === 'hmacsha1' ? m : undefined;
};

/** Only a gateway, speaking for itself, may change or log in sub-devices. */
function gatewayOnly(req: Request): boolean {
  if (req.who !== req.session || req.session.nodeType !== 'gateway') {
    req.reply(replyCodes.unknownMethod, undefined, `device ${req.who.key} is not a gateway`);
    return false;
  }
  return true;
}

interface SignedLogin {
  productKey: string;
  deviceKey: string;
  clientId: string;
  timestamp: string;
  signMethod: SignMethod;
  sign: string;
  secureMode: number;
}

function readLogin(v: unknown, defaults: Partial<SignedLogin> = {}): SignedLogin | string {
  if (!isObject(v)) return 'must be an object';
  const productKey = text(v['productKey']);
  const deviceKey = text(v['deviceKey']);
  const clientId = text(v['clientId']) ?? defaults.clientId;
  const timestamp = text(v['timestamp']) ?? defaults.timestamp;
  const sign = text(v['sign']);
  const signMethod = v['signMethod'] !== undefined ? signMethodOf(v['signMethod']) : (defaults.signMethod ?? 'sha256');
  const secureMode = Number(v['secureMode'] ?? 2);
  if (!productKey || !deviceKey) return 'productKey and deviceKey are required';
  if (!clientId || !timestamp || !sign) return 'clientId, timestamp and sign are required';
  if (!signMethod) return `signMethod "${String(v['signMethod'])}" is not supported`;
  return { productKey, deviceKey, clientId, timestamp, sign, signMethod, secureMode };
}

type Verified = { ok: true; device: DeviceRecord; modelId: string; activated: boolean } | { ok: false; code: number; message: string };

/** Checks a sub-device's signature against its device secret (or, securemode 3, its product secret). */
async function verifyLogin(ctx: UpstreamContext, login: SignedLogin): Promise<Verified> {
  const device = await ctx.store.getDevice(login.productKey, login.deviceKey);
  const key = deviceKeyOf(login.productKey, login.deviceKey);
  if (!device) return { ok: false, code: replyCodes.unknownDevice, message: `device ${key} is not registered` };
  const product = await ctx.store.getProduct(login.productKey);
  if (!product) return { ok: false, code: replyCodes.unknownDevice, message: `product ${login.productKey} is not registered` };
  if (device.disabled) return { ok: false, code: replyCodes.authFailed, message: `device ${key} is disabled` };
  const dynamic = login.secureMode === 3;
  const current = ctx.state.currentState(login.productKey, login.deviceKey) ?? device.state;
  if (dynamic && (product.authMode !== 'dynamic' || current !== 'inactive')) {
    return { ok: false, code: replyCodes.authFailed, message: `device ${key} cannot be activated with the product secret` };
  }
  const params = { clientId: login.clientId, deviceKey: login.deviceKey, productKey: login.productKey, timestamp: login.timestamp };
  const secret = dynamic ? product.productSecret : device.deviceSecret;
  if (!verifySignature(params, secret, login.signMethod, login.sign)) {
    return { ok: false, code: replyCodes.authFailed, message: `signature of device ${key} is wrong` };
  }
  if (!(await ctx.models.load(product.modelId))) return { ok: false, code: replyCodes.unknownDevice, message: `model "${product.modelId}" does not exist` };
  return { ok: true, device, modelId: product.modelId, activated: dynamic };
}

/** thing.topo.add: `params: [signed login info of each sub-device]`. */
export async function handleTopoAdd(ctx: UpstreamContext, req: Request): Promise<void> {
  if (!gatewayOnly(req)) return;
  const params = req.envelope.params;
  if (!Array.isArray(params) || params.length === 0) return req.reply(replyCodes.badPayload, undefined, 'params must be a non-empty array');
  const added: { ref: { productKey: string; deviceKey: string }; modelId: string }[] = [];
  for (let i = 0; i < params.length; i++) {
    const login = readLogin(params[i]);
    if (typeof login === 'string') return req.reply(replyCodes.badPayload, undefined, `params[${i}]: ${login}`);
    const v = await verifyLogin(ctx, login);
    if (!v.ok) return req.reply(v.code, undefined, `params[${i}]: ${v.message}`);
    if (v.device.gateway && deviceKeyOf(v.device.gateway.productKey, v.device.gateway.deviceKey) !== req.session.key) {
      return req.reply(replyCodes.unknownDevice, undefined, `params[${i}]: device ${login.productKey}/${login.deviceKey} belongs to another gateway`);
    }
    added.push({ ref: { productKey: login.productKey, deviceKey: login.deviceKey }, modelId: v.modelId });
  }
  await ctx.store.addSubDevices(req.session, added.map((a) => a.ref));
  for (const a of added) req.session.topology.set(deviceKeyOf(a.ref.productKey, a.ref.deviceKey), a.modelId);
  req.reply(replyCodes.ok);
}

/** thing.topo.delete: `params: [{ productKey, deviceKey }]`; logged-in ones are logged out. */
export async function handleTopoDelete(ctx: UpstreamContext, req: Request): Promise<void> {
  if (!gatewayOnly(req)) return;
  const params = req.envelope.params;
  if (!Array.isArray(params) || params.length === 0) return req.reply(replyCodes.badPayload, undefined, 'params must be a non-empty array');
  const refs: { productKey: string; deviceKey: string }[] = [];
  for (let i = 0; i < params.length; i++) {
    const p: unknown = params[i];
    const pk = isObject(p) ? text(p['productKey']) : undefined;
    const dk = isObject(p) ? text(p['deviceKey']) : undefined;
    if (!pk || !dk) return req.reply(replyCodes.badPayload, undefined, `params[${i}]: productKey and deviceKey are required`);
    if (!req.session.topology.has(deviceKeyOf(pk, dk))) {
      return req.reply(replyCodes.unknownDevice, undefined, `params[${i}]: device ${pk}/${dk} is not in this gateway's topology`);
    }
    refs.push({ productKey: pk, deviceKey: dk });
  }
  await ctx.store.removeSubDevices(req.session, refs);
  for (const r of refs) {
    const key = deviceKeyOf(r.productKey, r.deviceKey);
    req.session.topology.delete(key);
    if (req.session.subDevices.has(key)) ctx.logoutSubDevice(req.session, key, 'removed from topology');
  }
  req.reply(replyCodes.ok);
}

/** thing.topo.get → data: the sub-devices in the gateway's topology. */
export async function handleTopoGet(ctx: UpstreamContext, req: Request): Promise<void> {
  if (!gatewayOnly(req)) return;
  const subs = await ctx.store.listSubDevices(req.session);
  req.reply(
    replyCodes.ok,
    subs.map((d) => ({
      productKey: d.productKey,
      deviceKey: d.deviceKey,
      deviceName: d.name,
      deviceAttributes: d.attributes,
      status: req.session.subDevices.has(deviceKeyOf(d.productKey, d.deviceKey)) ? 'online' : d.state === 'inactive' ? 'inactive' : 'offline',
    })),
  );
}

async function loginOne(ctx: UpstreamContext, req: Request, login: SignedLogin): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; code: number; message: string }> {
  const key = deviceKeyOf(login.productKey, login.deviceKey);
  if (!req.session.topology.has(key)) return { ok: false, code: replyCodes.unknownDevice, message: `device ${key} is not in this gateway's topology` };
  const v = await verifyLogin(ctx, login);
  if (!v.ok) return v;
  const sub: DeviceIdentity = { productKey: login.productKey, deviceKey: login.deviceKey, key, modelId: v.modelId, nodeType: 'device' };
  ctx.loginSubDevice(req.session, sub);
  return {
    ok: true,
    data: { assetId: key, productKey: login.productKey, deviceKey: login.deviceKey, ...(v.activated ? { deviceSecret: v.device.deviceSecret } : {}) },
  };
}

/** combine.login: `params: { productKey, deviceKey, clientId, timestamp, signMethod, sign }`. */
export async function handleSubLogin(ctx: UpstreamContext, req: Request): Promise<void> {
  if (!gatewayOnly(req)) return;
  const login = readLogin(req.envelope.params);
  if (typeof login === 'string') return req.reply(replyCodes.badPayload, undefined, `params ${login}`);
  const r = await loginOne(ctx, req, login);
  if (!r.ok) return req.reply(r.code, undefined, r.message);
  req.reply(replyCodes.ok, r.data);
}

/** combine.login.batch: `params: { clientId, timestamp, signMethod, subDevices: [{ productKey, deviceKey, sign }] }`. */
export async function handleSubLoginBatch(ctx: UpstreamContext, req: Request): Promise<void> {
  if (!gatewayOnly(req)) return;
  const params = req.envelope.params;
  if (!isObject(params) || !Array.isArray(params['subDevices'])) return req.reply(replyCodes.badPayload, undefined, 'params.subDevices must be an array');
  const signMethod = signMethodOf(params['signMethod']);
  if (!signMethod) return req.reply(replyCodes.badPayload, undefined, `signMethod "${String(params['signMethod'])}" is not supported`);
  const defaults: Partial<SignedLogin> = { signMethod };
  const clientId = text(params['clientId']);
  const timestamp = text(params['timestamp']);
  if (clientId !== undefined) defaults.clientId = clientId;
  if (timestamp !== undefined) defaults.timestamp = timestamp;
  const logined: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of params['subDevices'] as unknown[]) {
    const login = readLogin(entry, defaults);
    if (typeof login === 'string') {
      failed.push({ ...(isObject(entry) ? { productKey: entry['productKey'], deviceKey: entry['deviceKey'] } : {}), message: login });
      continue;
    }
    const r = await loginOne(ctx, req, login);
    if (r.ok) logined.push(r.data);
    else failed.push({ productKey: login.productKey, deviceKey: login.deviceKey, code: r.code, message: r.message });
  }
  req.reply(replyCodes.ok, { loginedSubDevices: logined, failedSubDevices: failed });
}

/** combine.logout: `params: { productKey, deviceKey }`. */
export function handleSubLogout(ctx: UpstreamContext, req: Request): void {
  if (!gatewayOnly(req)) return;
  const params = req.envelope.params;
  const pk = isObject(params) ? text(params['productKey']) : undefined;
  const dk = isObject(params) ? text(params['deviceKey']) : undefined;
  if (!pk || !dk) return req.reply(replyCodes.badPayload, undefined, 'params.productKey and params.deviceKey are required');
  const key = deviceKeyOf(pk, dk);
  if (!req.session.subDevices.has(key)) return req.reply(replyCodes.unknownDevice, undefined, `device ${key} is not logged in through this gateway`);
  ctx.logoutSubDevice(req.session, key, 'logout');
  req.reply(replyCodes.ok, { productKey: pk, deviceKey: dk });
}
