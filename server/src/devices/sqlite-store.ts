import type { AuthMode, DeviceRef, DeviceState, NodeType, PointValue, ThingModel } from '@gridflow/runtime/contract';
import { conflict, notFound } from '../errors.js';
import type { SqliteDatabase } from '../store/db.js';
import type { DeviceRecord, DeviceStore, ModelRecord, NewDevice, ProductRecord } from './store.js';

interface ModelRow {
  id: string;
  body: string;
  created_at: string;
  updated_at: string;
  products: number;
}

interface ProductRow {
  product_key: string;
  name: string;
  description: string | null;
  model_id: string;
  auth_mode: AuthMode;
  node_type: NodeType;
  product_secret: string;
  created_at: string;
  updated_at: string;
  devices: number;
}

interface DeviceRow {
  product_key: string;
  device_key: string;
  name: string;
  description: string | null;
  device_secret: string;
  attributes: string;
  state: DeviceState;
  disabled: number;
  last_seen: string | null;
  gateway_product_key: string | null;
  gateway_device_key: string | null;
  created_at: string;
  updated_at: string;
}

// The body was validated against thingModelSchema when it was written.
const toModel = (r: ModelRow): ModelRecord => ({
  model: JSON.parse(r.body) as ThingModel,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  products: r.products,
});

const toProduct = (r: ProductRow): ProductRecord => ({
  productKey: r.product_key,
  name: r.name,
  ...(r.description !== null ? { description: r.description } : {}),
  modelId: r.model_id,
  authMode: r.auth_mode,
  nodeType: r.node_type,
  productSecret: r.product_secret,
  devices: r.devices,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDevice = (r: DeviceRow): DeviceRecord => ({
  productKey: r.product_key,
  deviceKey: r.device_key,
  name: r.name,
  ...(r.description !== null ? { description: r.description } : {}),
  deviceSecret: r.device_secret,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  state: r.state,
  disabled: r.disabled !== 0,
  lastSeen: r.last_seen,
  gateway:
    r.gateway_product_key !== null && r.gateway_device_key !== null
      ? { productKey: r.gateway_product_key, deviceKey: r.gateway_device_key }
      : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const DEVICE_COLUMNS = `product_key, device_key, name, description, device_secret, attributes, state, disabled, last_seen,
  gateway_product_key, gateway_device_key, created_at, updated_at`;

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createSqliteDeviceStore(db: SqliteDatabase): DeviceStore {
  const modelSelect = `SELECT m.*, (SELECT COUNT(*) FROM products p WHERE p.model_id = m.id) AS products FROM thing_models m`;
  const listModels = db.prepare<[], ModelRow>(`${modelSelect} ORDER BY m.id`);
  const getModel = db.prepare<[string], ModelRow>(`${modelSelect} WHERE m.id = ?`);
  const insertModel = db.prepare('INSERT INTO thing_models (id, body, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const updateModel = db.prepare('UPDATE thing_models SET body = ?, updated_at = ? WHERE id = ?');
  const deleteModel = db.prepare('DELETE FROM thing_models WHERE id = ?');

  const productSelect = `SELECT p.*, (SELECT COUNT(*) FROM devices d WHERE d.product_key = p.product_key) AS devices FROM products p`;
  const listProducts = db.prepare<[], ProductRow>(`${productSelect} ORDER BY p.product_key`);
  const getProduct = db.prepare<[string], ProductRow>(`${productSelect} WHERE p.product_key = ?`);
  const insertProduct = db.prepare(
    `INSERT INTO products (product_key, name, description, model_id, auth_mode, node_type, product_secret, created_at, updated_at)
     VALUES (@productKey, @name, @description, @modelId, @authMode, @nodeType, @productSecret, @now, @now)`,
  );
  const updateProduct = db.prepare(
    `UPDATE products SET name = COALESCE(@name, name), description = COALESCE(@description, description),
       auth_mode = COALESCE(@authMode, auth_mode), updated_at = @now WHERE product_key = @productKey`,
  );
  const deleteProduct = db.prepare('DELETE FROM products WHERE product_key = ?');

  const getDevice = db.prepare<[string, string], DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE product_key = ? AND device_key = ?`);
  const insertDevice = db.prepare(
    `INSERT INTO devices (product_key, device_key, name, description, device_secret, attributes, created_at, updated_at)
     VALUES (@productKey, @deviceKey, @name, @description, @deviceSecret, @attributes, @now, @now)`,
  );
  const updateDevice = db.prepare(
    `UPDATE devices SET name = COALESCE(@name, name), description = COALESCE(@description, description),
       attributes = COALESCE(@attributes, attributes), disabled = COALESCE(@disabled, disabled), updated_at = @now
     WHERE product_key = @productKey AND device_key = @deviceKey`,
  );
  const deleteDevice = db.prepare('DELETE FROM devices WHERE product_key = ? AND device_key = ?');
  const getPoints = db.prepare<[string, string], { points: string }>('SELECT points FROM devices WHERE product_key = ? AND device_key = ?');
  const setRuntime = db.prepare(
    `UPDATE devices SET state = COALESCE(@state, state), last_seen = COALESCE(@lastSeen, last_seen), points = COALESCE(@points, points)
     WHERE product_key = @productKey AND device_key = @deviceKey`,
  );
  const markOffline = db.prepare(`UPDATE devices SET state = 'offline' WHERE state = 'online'`);
  const setGateway = db.prepare(
    `UPDATE devices SET gateway_product_key = ?, gateway_device_key = ?, updated_at = ? WHERE product_key = ? AND device_key = ?`,
  );
  const clearGateway = db.prepare(
    `UPDATE devices SET gateway_product_key = NULL, gateway_device_key = NULL, updated_at = ?
     WHERE product_key = ? AND device_key = ? AND gateway_product_key = ? AND gateway_device_key = ?`,
  );
  const listSubs = db.prepare<[string, string], DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM devices WHERE gateway_product_key = ? AND gateway_device_key = ? ORDER BY product_key, device_key`,
  );

  const createModelTx = db.transaction((model: ThingModel) => {
    if (getModel.get(model.id)) throw conflict(`thing model "${model.id}" already exists`);
    const now = new Date().toISOString();
    insertModel.run(model.id, JSON.stringify(model), now, now);
    return toModel(getModel.get(model.id) as ModelRow);
  });
  const deleteModelTx = db.transaction((id: string) => {
    const row = getModel.get(id);
    if (!row) return false;
    if (row.products > 0) throw conflict(`thing model "${id}" is used by ${row.products} product(s)`);
    deleteModel.run(id);
    return true;
  });
  const createProductTx = db.transaction((p: Omit<ProductRecord, 'devices' | 'createdAt' | 'updatedAt'>) => {
    if (getProduct.get(p.productKey)) throw conflict(`product "${p.productKey}" already exists`);
    if (!getModel.get(p.modelId)) throw notFound(`thing model "${p.modelId}" does not exist`);
    insertProduct.run({ ...p, description: p.description ?? null, now: new Date().toISOString() });
    return toProduct(getProduct.get(p.productKey) as ProductRow);
  });
  const deleteProductTx = db.transaction((productKey: string) => {
    const row = getProduct.get(productKey);
    if (!row) return false;
    if (row.devices > 0) throw conflict(`product "${productKey}" has ${row.devices} device(s)`);
    deleteProduct.run(productKey);
    return true;
  });
  const createDevicesTx = db.transaction((devices: NewDevice[]) => {
    const now = new Date().toISOString();
    for (const d of devices) {
      if (getDevice.get(d.productKey, d.deviceKey)) throw conflict(`device "${d.productKey}/${d.deviceKey}" already exists`);
      insertDevice.run({
        productKey: d.productKey,
        deviceKey: d.deviceKey,
        name: d.name,
        description: d.description ?? null,
        deviceSecret: d.deviceSecret,
        attributes: JSON.stringify(d.attributes),
        now,
      });
    }
    return devices.map((d) => toDevice(getDevice.get(d.productKey, d.deviceKey) as DeviceRow));
  });
  // The stored points of each device the flush has written, parsed: its next flush merges the
  // changed points into these instead of reading and parsing the row again. Dropped with the device.
  const storedPoints = new Map<string, Record<string, PointValue>>();
  const runtimeTx = db.transaction((updates: Parameters<DeviceStore['applyRuntimeUpdates']>[0]) => {
    for (const u of updates) {
      let points: string | null = null;
      if (u.points) {
        const key = `${u.productKey}/${u.deviceKey}`;
        let stored = storedPoints.get(key);
        if (!stored) {
          const row = getPoints.get(u.productKey, u.deviceKey);
          if (!row) continue;
          stored = JSON.parse(row.points) as Record<string, PointValue>;
          storedPoints.set(key, stored);
        }
        for (const id in u.points) stored[id] = u.points[id] as PointValue;
        points = JSON.stringify(stored);
      }
      setRuntime.run({
        productKey: u.productKey,
        deviceKey: u.deviceKey,
        state: u.state ?? null,
        lastSeen: u.lastSeen ?? null,
        points,
      });
    }
  });
  const addSubsTx = db.transaction((gateway: DeviceRef, subs: DeviceRef[]) => {
    const now = new Date().toISOString();
    for (const s of subs) {
      const row = getDevice.get(s.productKey, s.deviceKey);
      if (!row) throw notFound(`device "${s.productKey}/${s.deviceKey}" does not exist`);
      if (s.productKey === gateway.productKey && s.deviceKey === gateway.deviceKey) {
        throw conflict(`device "${s.productKey}/${s.deviceKey}" cannot be its own sub-device`);
      }
      const current = row.gateway_product_key !== null ? `${row.gateway_product_key}/${row.gateway_device_key}` : null;
      if (current !== null && current !== `${gateway.productKey}/${gateway.deviceKey}`) {
        throw conflict(`device "${s.productKey}/${s.deviceKey}" is already a sub-device of ${current}`);
      }
      setGateway.run(gateway.productKey, gateway.deviceKey, now, s.productKey, s.deviceKey);
    }
  });
  const removeSubsTx = db.transaction((gateway: DeviceRef, subs: DeviceRef[]) => {
    const now = new Date().toISOString();
    let n = 0;
    for (const s of subs) n += clearGateway.run(now, s.productKey, s.deviceKey, gateway.productKey, gateway.deviceKey).changes;
    return n;
  });

  return {
    async listModels() {
      return listModels.all().map(toModel);
    },
    async getModel(id) {
      const r = getModel.get(id);
      return r ? toModel(r) : undefined;
    },
    async createModel(model) {
      return createModelTx.immediate(model);
    },
    async updateModel(model) {
      const res = updateModel.run(JSON.stringify(model), new Date().toISOString(), model.id);
      if (res.changes === 0) return undefined;
      return toModel(getModel.get(model.id) as ModelRow);
    },
    async deleteModel(id) {
      return deleteModelTx.immediate(id);
    },

    async listProducts() {
      return listProducts.all().map(toProduct);
    },
    async getProduct(productKey) {
      const r = getProduct.get(productKey);
      return r ? toProduct(r) : undefined;
    },
    async createProduct(p) {
      return createProductTx.immediate(p);
    },
    async updateProduct(productKey, patch) {
      const res = updateProduct.run({
        productKey,
        name: patch.name ?? null,
        description: patch.description ?? null,
        authMode: patch.authMode ?? null,
        now: new Date().toISOString(),
      });
      if (res.changes === 0) return undefined;
      return toProduct(getProduct.get(productKey) as ProductRow);
    },
    async deleteProduct(productKey) {
      return deleteProductTx.immediate(productKey);
    },

    async listDevices(q) {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: q.limit, offset: q.offset };
      if (q.productKey !== undefined) {
        where.push('product_key = @productKey');
        params['productKey'] = q.productKey;
      }
      if (q.state !== undefined) {
        where.push('state = @state');
        params['state'] = q.state;
      }
      if (q.search) {
        where.push(`(device_key LIKE @search ESCAPE '\\' OR name LIKE @search ESCAPE '\\')`);
        params['search'] = likePattern(q.search);
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const rows = db
        .prepare<Record<string, unknown>, DeviceRow>(
          `SELECT ${DEVICE_COLUMNS} FROM devices ${clause} ORDER BY product_key, device_key LIMIT @limit OFFSET @offset`,
        )
        .all(params);
      const { limit: _limit, offset: _offset, ...countParams } = params;
      const total = db.prepare<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n FROM devices ${clause}`).get(countParams)?.n ?? 0;
      return { devices: rows.map(toDevice), total };
    },
    async getDevice(productKey, deviceKey) {
      const r = getDevice.get(productKey, deviceKey);
      return r ? toDevice(r) : undefined;
    },
    async createDevices(devices) {
      return createDevicesTx.immediate(devices);
    },
    async updateDevice(productKey, deviceKey, patch) {
      const res = updateDevice.run({
        productKey,
        deviceKey,
        name: patch.name ?? null,
        description: patch.description ?? null,
        attributes: patch.attributes ? JSON.stringify(patch.attributes) : null,
        disabled: patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
        now: new Date().toISOString(),
      });
      if (res.changes === 0) return undefined;
      return toDevice(getDevice.get(productKey, deviceKey) as DeviceRow);
    },
    async deleteDevice(productKey, deviceKey) {
      storedPoints.delete(`${productKey}/${deviceKey}`);
      return deleteDevice.run(productKey, deviceKey).changes > 0;
    },
    async getPoints(productKey, deviceKey) {
      const r = getPoints.get(productKey, deviceKey);
      return r ? (JSON.parse(r.points) as Record<string, PointValue>) : {};
    },
    async applyRuntimeUpdates(updates) {
      if (updates.length) runtimeTx.immediate(updates);
    },
    async markAllOffline() {
      return markOffline.run().changes;
    },

    async addSubDevices(gateway, subs) {
      addSubsTx.immediate(gateway, subs);
    },
    async removeSubDevices(gateway, subs) {
      return removeSubsTx.immediate(gateway, subs);
    },
    async listSubDevices(gateway) {
      return listSubs.all(gateway.productKey, gateway.deviceKey).map(toDevice);
    },
  };
}
