import { randomBytes } from 'node:crypto';
import type {
  CreateDeviceRequest,
  CreateProductRequest,
  Device,
  DeviceRef,
  PointValue,
  Product,
  StoredThingModel,
  ThingModel,
  UpdateDeviceRequest,
  UpdateProductRequest,
} from '@gridflow/runtime/contract';
import { createDeviceRequestSchema, keySchema, type devicesQuerySchema } from '@gridflow/runtime/contract';
import type { z } from 'zod';
import { ApiFailure, conflict, notFound } from '../errors.js';
import type { DeviceBroker } from './broker.js';
import { parseCsv } from './csv.js';
import type { DeviceStateCache } from './device-state.js';
import type { ModelCache } from './model-cache.js';
import type { DeviceRecord, DeviceStore, NewDevice, ProductRecord } from './store.js';

/**
 * The device registry's rules over the store: generated keys and secrets, attribute values
 * checked against the product's model, live state overlaid on stored state, and the broker
 * told when a change affects connected devices. Throws ApiFailure with 4xx codes.
 */
export interface DeviceRegistry {
  listModels(): Promise<StoredThingModel[]>;
  getModel(id: string): Promise<StoredThingModel>;
  createModel(model: ThingModel): Promise<StoredThingModel>;
  updateModel(id: string, model: ThingModel): Promise<StoredThingModel>;
  deleteModel(id: string): Promise<void>;

  listProducts(): Promise<Product[]>;
  getProduct(productKey: string): Promise<Product>;
  createProduct(req: CreateProductRequest): Promise<Product>;
  updateProduct(productKey: string, patch: UpdateProductRequest): Promise<Product>;
  deleteProduct(productKey: string): Promise<void>;

  listDevices(query: z.infer<typeof devicesQuerySchema>): Promise<{ devices: Device[]; total: number }>;
  getDevice(productKey: string, deviceKey: string): Promise<Device>;
  createDevice(req: CreateDeviceRequest): Promise<Device>;
  importDevices(csv: string, productKey?: string): Promise<Device[]>;
  updateDevice(productKey: string, deviceKey: string, patch: UpdateDeviceRequest): Promise<Device>;
  deleteDevice(productKey: string, deviceKey: string): Promise<void>;
  points(productKey: string, deviceKey: string): Promise<Record<string, PointValue>>;

  listSubDevices(gateway: DeviceRef): Promise<Device[]>;
  addSubDevices(gateway: DeviceRef, subDevices: DeviceRef[]): Promise<Device[]>;
  removeSubDevice(gateway: DeviceRef, subDevice: DeviceRef): Promise<void>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random letters and digits (rejection sampling keeps them uniform). */
export function randomKey(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

const invalid = (path: string, message: string) => new ApiFailure('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });

export function createDeviceRegistry(deps: { store: DeviceStore; models: ModelCache; state: DeviceStateCache; broker: DeviceBroker }): DeviceRegistry {
  const { store, models, state, broker } = deps;

  const toProduct = (p: ProductRecord): Product => ({ ...p });

  function toDevice(d: DeviceRecord): Device {
    const online = broker.online(d.productKey, d.deviceKey) !== undefined;
    const seen = state.lastSeen(d.productKey, d.deviceKey);
    return {
      ...d,
      state: online ? 'online' : (state.currentState(d.productKey, d.deviceKey) ?? (d.state === 'online' ? 'offline' : d.state)),
      lastSeen: seen !== undefined ? new Date(seen).toISOString() : d.lastSeen,
    };
  }

  async function productOrFail(productKey: string, path = 'productKey'): Promise<ProductRecord> {
    const p = await store.getProduct(productKey);
    if (!p) throw new ApiFailure('NOT_FOUND', `product "${productKey}" does not exist`, { fields: [{ path, message: 'no such product' }] });
    return p;
  }

  async function deviceOrFail(productKey: string, deviceKey: string): Promise<DeviceRecord> {
    const d = await store.getDevice(productKey, deviceKey);
    if (!d) throw notFound(`device "${productKey}/${deviceKey}" does not exist`);
    return d;
  }

  /** Checks a full set of attribute values against the product's model; throws VALIDATION naming the attribute. */
  async function checkAttributes(product: ProductRecord, values: Record<string, unknown>, path: string): Promise<Record<string, unknown>> {
    const model = await models.load(product.modelId);
    if (!model) throw notFound(`thing model "${product.modelId}" of product "${product.productKey}" does not exist`);
    const result = model.checkAttributes(values, { partial: false });
    if (!result.ok) throw invalid(path, result.message);
    return result.values;
  }

  async function newDevice(req: ReturnType<typeof createDeviceRequestSchema.parse>, product: ProductRecord, path: string): Promise<NewDevice> {
    return {
      productKey: product.productKey,
      deviceKey: req.deviceKey ?? randomKey(10),
      name: req.name,
      ...(req.description !== undefined ? { description: req.description } : {}),
      deviceSecret: req.deviceSecret ?? randomKey(20),
      attributes: await checkAttributes(product, req.attributes, `${path}attributes`),
    };
  }

  const registry: DeviceRegistry = {
    async listModels() {
      return store.listModels();
    },
    async getModel(id) {
      const m = await store.getModel(id);
      if (!m) throw notFound(`thing model "${id}" does not exist`);
      return m;
    },
    async createModel(model) {
      const created = await store.createModel(model);
      models.set(model);
      return created;
    },
    async updateModel(id, model) {
      if (model.id !== id) throw invalid('id', `must be "${id}", the model in the path`);
      const updated = await store.updateModel(model);
      if (!updated) throw notFound(`thing model "${id}" does not exist`);
      // Connected devices are checked against the new model from their next message on.
      models.set(model);
      return updated;
    },
    async deleteModel(id) {
      if (!(await store.deleteModel(id))) throw notFound(`thing model "${id}" does not exist`);
      models.delete(id);
    },

    async listProducts() {
      return (await store.listProducts()).map(toProduct);
    },
    async getProduct(productKey) {
      return toProduct(await productOrFail(productKey, 'productKey'));
    },
    async createProduct(req) {
      if (!(await store.getModel(req.modelId))) {
        throw new ApiFailure('NOT_FOUND', `thing model "${req.modelId}" does not exist`, { fields: [{ path: 'modelId', message: 'no such thing model' }] });
      }
      const created = await store.createProduct({
        productKey: req.productKey ?? randomKey(10),
        name: req.name,
        ...(req.description !== undefined ? { description: req.description } : {}),
        modelId: req.modelId,
        authMode: req.authMode ?? 'device-secret',
        nodeType: req.nodeType ?? 'device',
        productSecret: req.productSecret ?? randomKey(20),
      });
      return toProduct(created);
    },
    async updateProduct(productKey, patch) {
      const updated = await store.updateProduct(productKey, patch);
      if (!updated) throw notFound(`product "${productKey}" does not exist`);
      return toProduct(updated);
    },
    async deleteProduct(productKey) {
      if (!(await store.deleteProduct(productKey))) throw notFound(`product "${productKey}" does not exist`);
    },

    async listDevices(q) {
      const { devices, total } = await store.listDevices({
        limit: q.limit,
        offset: q.offset,
        ...(q.productKey !== undefined ? { productKey: q.productKey } : {}),
        ...(q.search !== undefined ? { search: q.search } : {}),
        ...(q.state !== undefined ? { state: q.state } : {}),
      });
      return { devices: devices.map(toDevice), total };
    },
    async getDevice(productKey, deviceKey) {
      return toDevice(await deviceOrFail(productKey, deviceKey));
    },
    async createDevice(raw) {
      const req = createDeviceRequestSchema.parse(raw);
      const product = await productOrFail(req.productKey);
      const [created] = await store.createDevices([await newDevice(req, product, '')]);
      return toDevice(created as DeviceRecord);
    },
    async importDevices(csv, productKey) {
      const rows = parseCsv(csv);
      if ('error' in rows) throw invalid('csv', rows.error);
      const [header, ...data] = rows;
      if (!header) throw invalid('csv', 'no header row');
      const columns = header.fields.map((f) => f.trim());
      const known = new Set(['productKey', 'deviceKey', 'name', 'deviceSecret', 'description']);
      for (const required of ['deviceKey', 'name']) {
        if (!columns.includes(required)) throw invalid('csv', `line ${header.line}: the header has no "${required}" column`);
      }
      if (!columns.includes('productKey') && productKey === undefined) {
        throw invalid('csv', `line ${header.line}: the header has no "productKey" column; give one or the productKey parameter`);
      }
      if (data.length === 0) throw invalid('csv', 'no device rows after the header');
      if (data.length > 10_000) throw invalid('csv', `${data.length} rows; import at most 10000 devices at once`);
      const products = new Map<string, ProductRecord | undefined>();
      const problems: string[] = [];
      const devices: NewDevice[] = [];
      const seen = new Set<string>();
      for (const row of data) {
        try {
          if (row.fields.length !== columns.length) throw new Error(`has ${row.fields.length} fields, the header ${columns.length}`);
          const cell = (c: string) => row.fields[columns.indexOf(c)]?.trim() ?? '';
          const pk = (columns.includes('productKey') ? cell('productKey') : '') || productKey || '';
          if (!keySchema.safeParse(pk).success) throw new Error(`productKey "${pk}" is not a valid key`);
          if (!products.has(pk)) products.set(pk, await store.getProduct(pk));
          const product = products.get(pk);
          if (!product) throw new Error(`product "${pk}" does not exist`);
          const model = await models.load(product.modelId);
          const attributes: Record<string, unknown> = {};
          columns.forEach((c, i) => {
            const text = row.fields[i] ?? '';
            if (known.has(c) || text === '') return;
            const spec = model?.model.attributes.find((a) => a.identifier === c)?.spec;
            attributes[c] = spec && spec.type !== 'string' ? parseCell(text) : text;
          });
          const parsed = createDeviceRequestSchema.safeParse({
            productKey: pk,
            deviceKey: cell('deviceKey') || undefined,
            name: cell('name'),
            ...(cell('description') ? { description: cell('description') } : {}),
            ...(cell('deviceSecret') ? { deviceSecret: cell('deviceSecret') } : {}),
            attributes,
          });
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new Error(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
          }
          const d = await newDevice(parsed.data, product, '');
          const key = `${d.productKey}/${d.deviceKey}`;
          if (seen.has(key)) throw new Error(`device ${key} appears twice`);
          seen.add(key);
          devices.push(d);
        } catch (err) {
          problems.push(`line ${row.line}: ${err instanceof ApiFailure || err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (problems.length) {
        const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
        throw new ApiFailure('VALIDATION', `csv: ${problems.slice(0, 5).join('; ')}${more}`, {
          fields: problems.map((message) => ({ path: 'csv', message })),
        });
      }
      return (await store.createDevices(devices)).map(toDevice);
    },
    async updateDevice(productKey, deviceKey, patch) {
      const current = await deviceOrFail(productKey, deviceKey);
      let attributes: Record<string, unknown> | undefined;
      if (patch.attributes) {
        const merged: Record<string, unknown> = { ...current.attributes };
        for (const [k, v] of Object.entries(patch.attributes)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        attributes = await checkAttributes(await productOrFail(productKey), merged, 'attributes');
      }
      const updated = await store.updateDevice(productKey, deviceKey, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(attributes ? { attributes } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      });
      if (!updated) throw notFound(`device "${productKey}/${deviceKey}" does not exist`);
      if (patch.disabled === true) broker.drop(productKey, deviceKey, 'disabled');
      return toDevice(updated);
    },
    async deleteDevice(productKey, deviceKey) {
      const d = await deviceOrFail(productKey, deviceKey);
      const product = await store.getProduct(productKey);
      const subs = product?.nodeType === 'gateway' ? await store.listSubDevices(d) : [];
      if (!(await store.deleteDevice(productKey, deviceKey))) throw notFound(`device "${productKey}/${deviceKey}" does not exist`);
      broker.drop(productKey, deviceKey, 'deleted');
      for (const s of subs) broker.drop(s.productKey, s.deviceKey, 'gateway deleted');
      state.forget(productKey, deviceKey);
      if (d.gateway) await broker.refreshTopology(d.gateway.productKey, d.gateway.deviceKey);
    },
    async points(productKey, deviceKey) {
      await deviceOrFail(productKey, deviceKey);
      return { ...(await store.getPoints(productKey, deviceKey)), ...state.latest(productKey, deviceKey) };
    },

    async listSubDevices(gateway) {
      await deviceOrFail(gateway.productKey, gateway.deviceKey);
      return (await store.listSubDevices(gateway)).map(toDevice);
    },
    async addSubDevices(gateway, subs) {
      await deviceOrFail(gateway.productKey, gateway.deviceKey);
      const product = await productOrFail(gateway.productKey);
      if (product.nodeType !== 'gateway') throw conflict(`device "${gateway.productKey}/${gateway.deviceKey}" is not a gateway (product nodeType is "device")`);
      await store.addSubDevices(gateway, subs);
      await broker.refreshTopology(gateway.productKey, gateway.deviceKey);
      return (await store.listSubDevices(gateway)).map(toDevice);
    },
    async removeSubDevice(gateway, sub) {
      const removed = await store.removeSubDevices(gateway, [sub]);
      if (removed === 0) throw notFound(`device "${sub.productKey}/${sub.deviceKey}" is not a sub-device of "${gateway.productKey}/${gateway.deviceKey}"`);
      await broker.refreshTopology(gateway.productKey, gateway.deviceKey);
    },
  };
  return registry;
}

/** A CSV cell for a non-string attribute: JSON when it parses (numbers, true, arrays), else the text. */
function parseCell(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the model check reports it with the attribute's name.
    return text;
  }
}
