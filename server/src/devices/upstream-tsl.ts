import { replyCodes, type DeviceRef } from '@gridflow/runtime/contract';
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

/** The outcome of ingesting one request for one device; refusals carry the EnOS reply code. */
export type IngestResult = { ok: true } | { ok: false; code: number; message: string };
const ACCEPTED: IngestResult = { ok: true };
const refused = (code: number, message: string): IngestResult => ({ ok: false, code, message });

/** What ingesting needs: the broker's context, or the same parts outside it (posts through an edge). */
export type IngestContext = Pick<UpstreamContext, 'models' | 'state' | 'bus' | 'store' | 'counters'>;

/** The session's gateway ref when `who` is a sub-device speaking through it. */
const gatewayOf = (req: Request, who: DeviceIdentity = req.who): DeviceRef | undefined =>
  who === req.session ? undefined : { productKey: req.session.productKey, deviceKey: req.session.deviceKey };

function emitPoints(ctx: IngestContext, who: DeviceIdentity, result: Extract<PointsResult, { ok: true }>, time: number, backfill: boolean, gateway: DeviceRef | undefined): void {
  ctx.state.recordPoints(who.productKey, who.deviceKey, result.points, time, result.quality);
  const message: MeasurePointsMessage = {
    kind: 'measurepoints',
    productKey: who.productKey,
    deviceKey: who.deviceKey,
    time,
    points: result.points,
    quality: result.quality,
    backfill,
    gateway,
  };
  ctx.bus.emit(message);
}

/**
 * Checks `{ measurepoints, time }` against the device's thing model and, when valid, records the
 * latest values and emits them (device in nodes, storage; alerts unless back-filled). The one
 * entry point for measure points, whether they came over the device's MQTT connection or an edge.
 */
export function ingestPoints(ctx: IngestContext, who: DeviceIdentity, params: unknown, backfill: boolean, skipInvalid: boolean, gateway?: DeviceRef): IngestResult {
  if (!isObject(params)) return refused(replyCodes.badPayload, 'params must be an object');
  const time = timeOf(params['time'], Date.now());
  if (time === undefined) return refused(replyCodes.badPayload, 'params.time must be epoch milliseconds');
  const model = ctx.models.get(who.modelId);
  if (!model) return refused(replyCodes.unknownDevice, `model "${who.modelId}" is not loaded`);
  const result = model.checkPoints(params['measurepoints'], skipInvalid);
  if (!result.ok) {
    ctx.counters.invalidMessages++;
    return refused(replyCodes.badValue, result.message);
  }
  emitPoints(ctx, who, result, time, backfill, gateway);
  return ACCEPTED;
}

/** thing.measurepoint.post and .resume: `params: { measurepoints, time }`. */
export function handlePoints(ctx: UpstreamContext, req: Request, backfill: boolean): void {
  const r = ingestPoints(ctx, req.who, req.envelope.params, backfill, req.envelope.skipInvalidMeasurepoints === true, gatewayOf(req));
  if (r.ok) req.reply(replyCodes.ok);
  else req.reply(r.code, undefined, r.message);
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
  for (const a of accepted) emitPoints(ctx, a.who, a.result, a.time, backfill, gatewayOf(req, a.who));
  req.reply(replyCodes.ok);
}

/** A sub-device in the gateway's topology that is not logged in (allowOfflineSubDevice). */
function offlineIdentity(ctx: UpstreamContext, req: Request, productKey: string, deviceKey: string): DeviceIdentity | undefined {
  const key = deviceKeyOf(productKey, deviceKey);
  const modelId = req.session.topology.get(key);
  if (modelId === undefined || !ctx.models.get(modelId)) return undefined;
  return { productKey, deviceKey, key, modelId, nodeType: 'device' };
}

/** Checks an event's outputs (`{ events | value, time }`) against the model and emits it. */
export function ingestEvent(ctx: IngestContext, who: DeviceIdentity, event: string, params: unknown, gateway?: DeviceRef): IngestResult {
  if (!isObject(params)) return refused(replyCodes.badPayload, 'params must be an object');
  const time = timeOf(params['time'], Date.now());
  if (time === undefined) return refused(replyCodes.badPayload, 'params.time must be epoch milliseconds');
  const model = ctx.models.get(who.modelId);
  if (!model) return refused(replyCodes.unknownDevice, `model "${who.modelId}" is not loaded`);
  const raw = params['events'] ?? params['value'] ?? {};
  const result = model.checkEvent(event, raw);
  if (!result.ok) {
    ctx.counters.invalidMessages++;
    return refused(replyCodes.badValue, result.message);
  }
  ctx.state.touch(who.productKey, who.deviceKey);
  ctx.bus.emit({ kind: 'event', productKey: who.productKey, deviceKey: who.deviceKey, time, event, values: result.values, ...(gateway ? { gateway } : {}) });
  return ACCEPTED;
}

/** thing.event.{id}.post: `params: { events | value, time }` (the Node SDK sends events, Java SDKs value). */
export function handleEvent(ctx: UpstreamContext, req: Request, event: string): void {
  const r = ingestEvent(ctx, req.who, event, req.envelope.params, gatewayOf(req));
  if (r.ok) req.reply(replyCodes.ok);
  else req.reply(r.code, undefined, r.message);
}

function attributeIds(params: unknown): string[] | undefined {
  if (params === undefined || params === null) return [];
  if (!isObject(params)) return undefined;
  const list = params['attributes'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return undefined;
  return list;
}

/** Checks `{ attributes: { id: value } }` against the model, merges them into the device and emits the change. */
export async function ingestAttributes(ctx: IngestContext, who: DeviceIdentity, params: unknown): Promise<IngestResult> {
  if (!isObject(params) || !isObject(params['attributes'])) return refused(replyCodes.badPayload, 'params.attributes must be an object');
  const model = ctx.models.get(who.modelId);
  if (!model) return refused(replyCodes.unknownDevice, `model "${who.modelId}" is not loaded`);
  const result = model.checkAttributes(params['attributes'], { partial: true });
  if (!result.ok) return refused(replyCodes.badValue, result.message);
  const device = await ctx.store.getDevice(who.productKey, who.deviceKey);
  if (!device) return refused(replyCodes.unknownDevice, `device ${who.key} is not registered`);
  await ctx.store.updateDevice(who.productKey, who.deviceKey, { attributes: { ...device.attributes, ...result.values } });
  ctx.bus.emit({ kind: 'attributes', productKey: who.productKey, deviceKey: who.deviceKey, time: Date.now(), attributes: result.values, removed: [] });
  return ACCEPTED;
}

/** thing.attribute.update: `params: { attributes: { id: value } }`. */
export async function handleAttributeUpdate(ctx: UpstreamContext, req: Request): Promise<void> {
  const r = await ingestAttributes(ctx, req.who, req.envelope.params);
  if (r.ok) req.reply(replyCodes.ok);
  else req.reply(r.code, undefined, r.message);
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
