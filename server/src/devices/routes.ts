import express, { Router, type Request, type RequestHandler } from 'express';
import type { Role } from '@gridflow/runtime/contract';
import {
  addSubDevicesRequestSchema,
  createDeviceRequestSchema,
  createProductRequestSchema,
  deviceMessagesQuerySchema,
  devicesQuerySchema,
  importDevicesRequestSchema,
  invokeServiceRequestSchema,
  keySchema,
  setPointsRequestSchema,
  thingModelSchema,
  updateDeviceRequestSchema,
  updateProductRequestSchema,
} from '@gridflow/runtime/contract';
import { DeviceCommandError, type DeviceHub, type DeviceReply } from '@gridflow/nodes/device';
import type { AuditLog } from '../audit-log.js';
import { ApiFailure } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { Principal } from '../auth/auth-service.js';
import type { DeviceBroker } from './broker.js';
import type { RecentMessages } from './recent-messages.js';
import type { DeviceRegistry } from './registry.js';

export interface DeviceRouteDeps {
  registry: DeviceRegistry;
  hub: DeviceHub;
  broker: DeviceBroker;
  recent: RecentMessages;
  audit: AuditLog;
  requireRole(role: Role): RequestHandler;
  principalOf(req: Request): Principal;
}

/** A path segment that must be a product or device key (400 naming it otherwise). */
function keyParam(req: Request, name: string): string {
  const value = req.params[name];
  return parseInput(keySchema, value, `path parameter ${name}`);
}

async function command(run: () => Promise<DeviceReply>): Promise<DeviceReply> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof DeviceCommandError)) throw err;
    if (err.code === 'not-found') throw new ApiFailure('NOT_FOUND', err.message);
    if (err.code === 'invalid') throw new ApiFailure('VALIDATION', err.message);
    // offline, disabled, timeout: the device is not in a state to take the command now.
    throw new ApiFailure('CONFLICT', err.message, { details: { reason: err.code } });
  }
}

/** The device REST API (deviceEndpoints in the contract), mounted under /api. */
export function deviceRoutes(deps: DeviceRouteDeps): Router {
  const { registry, hub, broker, audit } = deps;
  const viewer = deps.requireRole('viewer');
  const editor = deps.requireRole('editor');
  const router = Router();
  const record = (req: Request, action: string, target: string | null, details?: Record<string, unknown>) =>
    audit.fromRequest(req, deps.principalOf(req).username, action, target, details);

  router.get('/thing-models', viewer, async (_req, res) => {
    res.json({ models: await registry.listModels() });
  });
  router.get('/thing-models/:modelId', viewer, async (req, res) => {
    res.json(await registry.getModel(String(req.params['modelId'])));
  });
  router.post('/thing-models', editor, async (req, res) => {
    const model = parseInput(thingModelSchema, req.body);
    const created = await registry.createModel(model);
    await record(req, 'thing-model.create', model.id);
    res.status(201).json(created);
  });
  router.patch('/thing-models/:modelId', editor, async (req, res) => {
    const model = parseInput(thingModelSchema, req.body);
    const updated = await registry.updateModel(String(req.params['modelId']), model);
    await record(req, 'thing-model.update', model.id);
    res.json(updated);
  });
  router.delete('/thing-models/:modelId', editor, async (req, res) => {
    const id = String(req.params['modelId']);
    await registry.deleteModel(id);
    await record(req, 'thing-model.delete', id);
    res.status(204).end();
  });

  router.get('/products', viewer, async (_req, res) => {
    res.json({ products: await registry.listProducts() });
  });
  router.get('/products/:productKey', viewer, async (req, res) => {
    res.json(await registry.getProduct(keyParam(req, 'productKey')));
  });
  router.post('/products', editor, async (req, res) => {
    const body = parseInput(createProductRequestSchema, req.body);
    const created = await registry.createProduct(body);
    await record(req, 'product.create', created.productKey);
    res.status(201).json(created);
  });
  router.patch('/products/:productKey', editor, async (req, res) => {
    const pk = keyParam(req, 'productKey');
    const updated = await registry.updateProduct(pk, parseInput(updateProductRequestSchema, req.body));
    await record(req, 'product.update', pk);
    res.json(updated);
  });
  router.delete('/products/:productKey', editor, async (req, res) => {
    const pk = keyParam(req, 'productKey');
    await registry.deleteProduct(pk);
    await record(req, 'product.delete', pk);
    res.status(204).end();
  });

  router.get('/devices', viewer, async (req, res) => {
    const q = parseInput(devicesQuerySchema, req.query, 'query');
    res.json(await registry.listDevices(q));
  });
  router.post('/devices', editor, async (req, res) => {
    const created = await registry.createDevice(parseInput(createDeviceRequestSchema, req.body));
    await record(req, 'device.create', `${created.productKey}/${created.deviceKey}`);
    res.status(201).json(created);
  });
  router.post('/devices/import', editor, express.text({ type: ['text/csv', 'text/plain'], limit: '20mb' }), async (req, res) => {
    const body: unknown = req.body;
    const input =
      typeof body === 'string'
        ? parseInput(importDevicesRequestSchema, { csv: body, ...(typeof req.query['productKey'] === 'string' ? { productKey: req.query['productKey'] } : {}) })
        : parseInput(importDevicesRequestSchema, body);
    const created = await registry.importDevices(input.csv, input.productKey);
    await record(req, 'device.import', input.productKey ?? null, { count: created.length });
    res.status(201).json({ created });
  });
  router.get('/devices/broker', viewer, (_req, res) => {
    res.json(broker.status());
  });
  router.get('/devices/:productKey/:deviceKey', viewer, async (req, res) => {
    res.json(await registry.getDevice(keyParam(req, 'productKey'), keyParam(req, 'deviceKey')));
  });
  router.patch('/devices/:productKey/:deviceKey', editor, async (req, res) => {
    const pk = keyParam(req, 'productKey');
    const dk = keyParam(req, 'deviceKey');
    const patch = parseInput(updateDeviceRequestSchema, req.body);
    const updated = await registry.updateDevice(pk, dk, patch);
    await record(req, 'device.update', `${pk}/${dk}`, patch.disabled !== undefined ? { disabled: patch.disabled } : undefined);
    res.json(updated);
  });
  router.delete('/devices/:productKey/:deviceKey', editor, async (req, res) => {
    const pk = keyParam(req, 'productKey');
    const dk = keyParam(req, 'deviceKey');
    await registry.deleteDevice(pk, dk);
    deps.recent.forget(pk, dk);
    await record(req, 'device.delete', `${pk}/${dk}`);
    res.status(204).end();
  });
  router.get('/devices/:productKey/:deviceKey/points', viewer, async (req, res) => {
    res.json({ points: await registry.points(keyParam(req, 'productKey'), keyParam(req, 'deviceKey')) });
  });
  router.get('/devices/:productKey/:deviceKey/messages', viewer, async (req, res) => {
    const pk = keyParam(req, 'productKey');
    const dk = keyParam(req, 'deviceKey');
    const q = parseInput(deviceMessagesQuerySchema, req.query, 'query');
    // 404 for a device that does not exist, rather than an empty list.
    await registry.getDevice(pk, dk);
    res.json({ messages: deps.recent.list(pk, dk, { limit: q.limit, ...(q.kind ? { kind: q.kind } : {}) }) });
  });
  router.post('/devices/:productKey/:deviceKey/services/:service', editor, async (req, res) => {
    const target = { productKey: keyParam(req, 'productKey'), deviceKey: keyParam(req, 'deviceKey') };
    const body = parseInput(invokeServiceRequestSchema, req.body ?? {});
    const service = String(req.params['service']);
    const reply = await command(() => hub.invokeService(target, service, body.params, { timeoutMs: body.timeoutMs }));
    await record(req, 'device.invoke-service', `${target.productKey}/${target.deviceKey}`, { service, code: reply.code });
    res.json(reply);
  });
  router.post('/devices/:productKey/:deviceKey/points/set', editor, async (req, res) => {
    const target = { productKey: keyParam(req, 'productKey'), deviceKey: keyParam(req, 'deviceKey') };
    const body = parseInput(setPointsRequestSchema, req.body);
    const reply = await command(() => hub.setMeasurePoints(target, body.points, { timeoutMs: body.timeoutMs }));
    await record(req, 'device.set-points', `${target.productKey}/${target.deviceKey}`, { points: Object.keys(body.points), code: reply.code });
    res.json(reply);
  });

  router.get('/devices/:productKey/:deviceKey/sub-devices', viewer, async (req, res) => {
    res.json({ subDevices: await registry.listSubDevices({ productKey: keyParam(req, 'productKey'), deviceKey: keyParam(req, 'deviceKey') }) });
  });
  router.post('/devices/:productKey/:deviceKey/sub-devices', editor, async (req, res) => {
    const gateway = { productKey: keyParam(req, 'productKey'), deviceKey: keyParam(req, 'deviceKey') };
    const body = parseInput(addSubDevicesRequestSchema, req.body);
    const subDevices = await registry.addSubDevices(gateway, body.subDevices);
    await record(req, 'device.topology-add', `${gateway.productKey}/${gateway.deviceKey}`, { subDevices: body.subDevices });
    res.json({ subDevices });
  });
  router.delete('/devices/:productKey/:deviceKey/sub-devices/:subProductKey/:subDeviceKey', editor, async (req, res) => {
    const gateway = { productKey: keyParam(req, 'productKey'), deviceKey: keyParam(req, 'deviceKey') };
    const sub = { productKey: keyParam(req, 'subProductKey'), deviceKey: keyParam(req, 'subDeviceKey') };
    await registry.removeSubDevice(gateway, sub);
    await record(req, 'device.topology-remove', `${gateway.productKey}/${gateway.deviceKey}`, { subDevice: sub });
    res.status(204).end();
  });

  return router;
}
