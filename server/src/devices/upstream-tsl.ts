import { replyCodes } from '@gridflow/runtime/contract';
import type { MeasurePointsMessage } from '@gridflow/nodes/device';
import type { PointsResult } from './compiled-model.js';
import { deviceKeyOf, type DeviceIdentity } from './sessions.js';
import type { Request, UpstreamContext } from './upstream-context.js';

/** Handlers of the thing-model topics: measure points, events, attributes. */

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function timeOf(v: unknown, now: number): number | undefined {
  if (v === undefined || v === null) return now;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function emitPoints(ctx: UpstreamContext, req: Request, who: DeviceIdentity, result: Extract<PointsResult, { ok: true }>, time: number, backfill: boolean): void {
  ctx.state.recordPoints(who.productKey, who.deviceKey, result.points, time, result.quality);
  const message: MeasurePointsMessage = {
    kind: 'measurepoints',
    productKey: who.productKey,
    deviceKey: who.deviceKey,
    time,
    points: result.points,
    quality: result.quality,
    backfill,
    gateway: who === req.session ? undefined : { productKey: req.session.productKey, deviceKey: req.session.deviceKey },
  };
  ctx.bus.emit(message);
}

/** thing.measurepoint.post and .resume: `params: { measurepoints, time }`. */
export function handlePoints(ctx: UpstreamContext, req: Request, backfill: boolean): void {
  const params = req.envelope.params;
  if (!isObject(params)) return req.reply(replyCodes.badPayload, undefined, 'params must be an object');
  const time = timeOf(params['time'], Date.now());
  if (time === undefined) return req.reply(replyCodes.badPayload, undefined, 'params.time must be epoch milliseconds');
  const model = ctx.models.get(req.who.modelId);
  if (!model) return req.reply(replyCodes.unknownDevice, undefined, `model "${req.who.modelId}" is not loaded`);
  const result = model.checkPoints(params['measurepoints'], req.envelope.skipInvalidMeasurepoints === true);
  if (!result.ok) {
    ctx.counters.invalidMessages++;
    return req.reply(replyCodes.badValue, undefined, result.message);
  }
  emitPoints(ctx, req, req.who, result, time, backfill);
  req.reply(replyCodes.ok);
}

/**
 * post/batch and resume/batch: `params: [{ productKey?, deviceKey?, measurepoints, time }]`.
 * Entries without keys are the sender's own; others must be sub-devices logged in through it
 * (or in its topology, with `allowOfflineSubDevice`). All entries are checked before any is used.
 */
export function handlePointsBatch(ctx: UpstreamContext, req: Request, backfill: boolean): void {
  const params = req.envelope.params;
  if (!Array.isArray(params)) return req.reply(replyCodes.badPayload, undefined, 'params must be an array');
  const skip = req.envelope.skipInvalidMeasurepoints === true;
  const allowOffline = req.envelope.allowOfflineSubDevice === true;
  const now = Date.now();
  const accepted: { who: DeviceIdentity; result: Extract<PointsResult, { ok: true }>; time: number }[] = [];
  for (let i = 0; i < params.length; i++) {
    const item: unknown = params[i];
    if (!isObject(item)) return req.reply(replyCodes.badPayload, undefined, `params[${i}] must be an object`);
    const pk = item['productKey'];
    const dk = item['deviceKey'];
    let who: DeviceIdentity | undefined = req.who;
    if (pk !== undefined || dk !== undefined) {
      if (typeof pk !== 'string' || typeof dk !== 'string') {
        return req.reply(replyCodes.badPayload, undefined, `params[${i}]: productKey and deviceKey must both be strings`);
      }
      const key = deviceKeyOf(pk, dk);
      if (key !== req.session.key) {
        who = req.session.subDevices.get(key);
        if (!who && allowOffline) who = offlineIdentity(ctx, req, pk, dk);
        if (!who) {
          if (skip) continue;
          return req.reply(replyCodes.unknownDevice, undefined, `params[${i}]: device ${key} is not a logged-in sub-device of this gateway`);
        }
      } else who = req.session;
    }
    const time = timeOf(item['time'], now);
    if (time === undefined) return req.reply(replyCodes.badPayload, undefined, `params[${i}].time must be epoch milliseconds`);
    const model = ctx.models.get(who.modelId);
    if (!model) return req.reply(replyCodes.unknownDevice, undefined, `params[${i}]: model "${who.modelId}" is not loaded`);
    const result = model.checkPoints(item['measurepoints'], skip);
    if (!result.ok) {
      ctx.counters.invalidMessages++;
      return req.reply(replyCodes.badValue, undefined, `params[${i}]: ${result.message}`);
    }
    accepted.push({ who, result, time });
  }
  for (const a of accepted) emitPoints(ctx, req, a.who, a.result, a.time, backfill);
  req.reply(replyCodes.ok);
}

/** A sub-device in the gateway's topology that is not logged in (allowOfflineSubDevice). */
function offlineIdentity(ctx: UpstreamContext, req: Request, productKey: string, deviceKey: string): DeviceIdentity | undefined {
  const key = deviceKeyOf(productKey, deviceKey);
  const modelId = req.session.topology.get(key);
  if (modelId === undefined || !ctx.models.get(modelId)) return undefined;
  return { productKey, deviceKey, key, modelId, nodeType: 'device' };
}

/** thing.event.{id}.post: `params: { events | value, time }` (the Node SDK sends events, Java SDKs value). */
export function handleEvent(ctx: UpstreamContext, req: Request, event: string): void {
  const params = req.envelope.params;
  if (!isObject(params)) return req.reply(replyCodes.badPayload, undefined, 'params must be an object');
  const time = timeOf(params['time'], Date.now());
  if (time === undefined) return req.reply(replyCodes.badPayload, undefined, 'params.time must be epoch milliseconds');
  const model = ctx.models.get(req.who.modelId);
  if (!model) return req.reply(replyCodes.unknownDevice, undefined, `model "${req.who.modelId}" is not loaded`);
  const raw = params['events'] ?? params['value'] ?? {};
  const result = model.checkEvent(event, raw);
  if (!result.ok) {
    ctx.counters.invalidMessages++;
    return req.reply(replyCodes.badValue, undefined, result.message);
  }
  ctx.state.touch(req.who.productKey, req.who.deviceKey);
  ctx.bus.emit({
    kind: 'event',
    productKey: req.who.productKey,
    deviceKey: req.who.deviceKey,
    time,
    event,
    values: result.values,
    ...(req.who !== req.session ? { gateway: { productKey: req.session.productKey, deviceKey: req.session.deviceKey } } : {}),
  });
  req.reply(replyCodes.ok);
}

function attributeIds(params: unknown): string[] | undefined {
  if (params === undefined || params === null) return [];
  if (!isObject(params)) return undefined;
  const list = params['attributes'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return undefined;
  return list;
}

/** thing.attribute.update: `params: { attributes: { id: value } }`. */
export async function handleAttributeUpdate(ctx: UpstreamContext, req: Request): Promise<void> {
  const params = req.envelope.params;
  if (!isObject(params) || !isObject(params['attributes'])) return req.reply(replyCodes.badPayload, undefined, 'params.attributes must be an object');
  const model = ctx.models.get(req.who.modelId);
  if (!model) return req.reply(replyCodes.unknownDevice, undefined, `model "${req.who.modelId}" is not loaded`);
  const result = model.checkAttributes(params['attributes'], { partial: true });
  if (!result.ok) return req.reply(replyCodes.badValue, undefined, result.message);
  const device = await ctx.store.getDevice(req.who.productKey, req.who.deviceKey);
  if (!device) return req.reply(replyCodes.unknownDevice, undefined, `device ${req.who.key} is not registered`);
  await ctx.store.updateDevice(req.who.productKey, req.who.deviceKey, { attributes: { ...device.attributes, ...result.values } });
  ctx.bus.emit({ kind: 'attributes', productKey: req.who.productKey, deviceKey: req.who.deviceKey, time: Date.now(), attributes: result.values, removed: [] });
  req.reply(replyCodes.ok);
}

/** thing.attribute.query: `params: { attributes: [ids] }` (empty for all) → data `{ id: value }`. */
export async function handleAttributeQuery(ctx: UpstreamContext, req: Request): Promise<void> {
  const ids = attributeIds(req.envelope.params);
  if (!ids) return req.reply(replyCodes.badPayload, undefined, 'params.attributes must be an array of identifiers');
  const device = await ctx.store.getDevice(req.who.productKey, req.who.deviceKey);
  if (!device) return req.reply(replyCodes.unknownDevice, undefined, `device ${req.who.key} is not registered`);
  const model = ctx.models.get(req.who.modelId);
  const unknown = ids.find((id) => !model?.model.attributes.some((a) => a.identifier === id));
  if (unknown !== undefined) return req.reply(replyCodes.badValue, undefined, `attribute "${unknown}" is not defined in model "${req.who.modelId}"`);
  const data = ids.length ? Object.fromEntries(ids.filter((id) => id in device.attributes).map((id) => [id, device.attributes[id]])) : device.attributes;
  req.reply(replyCodes.ok, data);
}

/** thing.attribute.delete: `params: { attributes: [ids] }`; required attributes cannot be deleted. */
export async function handleAttributeDelete(ctx: UpstreamContext, req: Request): Promise<void> {
  const ids = attributeIds(req.envelope.params);
  if (!ids || ids.length === 0) return req.reply(replyCodes.badPayload, undefined, 'params.attributes must be a non-empty array of identifiers');
  const model = ctx.models.get(req.who.modelId);
  for (const id of ids) {
    const attr = model?.model.attributes.find((a) => a.identifier === id);
    if (!attr) return req.reply(replyCodes.badValue, undefined, `attribute "${id}" is not defined in model "${req.who.modelId}"`);
    if (attr.required) return req.reply(replyCodes.badValue, undefined, `attribute "${id}" is required and cannot be deleted`);
  }
  const device = await ctx.store.getDevice(req.who.productKey, req.who.deviceKey);
  if (!device) return req.reply(replyCodes.unknownDevice, undefined, `device ${req.who.key} is not registered`);
  const attributes = { ...device.attributes };
  for (const id of ids) delete attributes[id];
  await ctx.store.updateDevice(req.who.productKey, req.who.deviceKey, { attributes });
  ctx.bus.emit({ kind: 'attributes', productKey: req.who.productKey, deviceKey: req.who.deviceKey, time: Date.now(), attributes: {}, removed: ids });
  req.reply(replyCodes.ok);
}

/** A device's reply on `thing/service/{command}_reply`: settles a waiting command and goes to subscribers. */
export function handleCommandReply(ctx: UpstreamContext, req: Request, command: string): void {
  const env = req.envelope;
  const code = typeof env.code === 'number' ? env.code : Number(env.code);
  const reply = {
    id: String(env.id ?? ''),
    code: Number.isFinite(code) ? code : replyCodes.badPayload,
    data: env.data ?? null,
    ...(typeof env.message === 'string' ? { message: env.message } : {}),
  };
  ctx.commands.settle(req.who.productKey, req.who.deviceKey, reply);
  ctx.state.touch(req.who.productKey, req.who.deviceKey);
  ctx.bus.emit({
    kind: 'reply',
    productKey: req.who.productKey,
    deviceKey: req.who.deviceKey,
    time: Date.now(),
    method: `thing.service.${command.replace(/\//g, '.')}`,
    ...reply,
  });
}
