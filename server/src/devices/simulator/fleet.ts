import type { Device, DevicesResponse, ImportDevicesResponse, Product, StoredThingModel, ThingModel } from '@gridflow/runtime/contract';
import type { SimulatedDevice } from './simulator.js';

/**
 * Prepares a simulated fleet through a running server's REST API: reads the product and its
 * thing model, finds the devices `{prefix}0001…` and creates those missing (one CSV import).
 */
export interface FleetOptions {
  /** http://host:port of the server. */
  url: string;
  /** An API token, or user and password to log in with. */
  token?: string;
  user?: string;
  password?: string;
  productKey: string;
  count: number;
  prefix: string;
  /** Create devices that do not exist yet (needs the editor role). */
  create: boolean;
}

export interface Fleet {
  product: Product;
  model: ThingModel;
  devices: SimulatedDevice[];
  created: number;
  /** Port of the server's device broker. */
  brokerPort: number;
}

type Call = <T>(method: string, path: string, body?: { json?: unknown; csv?: string }) => Promise<T>;

async function apiClient(o: FleetOptions): Promise<Call> {
  const base = o.url.replace(/\/+$/, '');
  let cookie: string | undefined;
  const call: Call = async <T>(method: string, path: string, body?: { json?: unknown; csv?: string }) => {
    const headers: Record<string, string> = {};
    if (o.token) headers['authorization'] = `Bearer ${o.token}`;
    if (cookie) headers['cookie'] = cookie;
    let payload: string | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      payload = body.csv;
    }
    let res: Response;
    try {
      res = await fetch(base + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    } catch (err) {
      throw new Error(`cannot reach ${base}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string }; message?: string }).error?.message ?? message;
      } catch {
        // Not JSON: the text itself is the best message there is.
      }
      throw new Error(`${method} ${path}: ${res.status} ${message}`);
    }
    if (method === 'POST' && path === '/api/auth/login') cookie = res.headers.get('set-cookie')?.split(';')[0];
    return (text ? JSON.parse(text) : undefined) as T;
  };
  if (!o.token && o.user) await call('POST', '/api/auth/login', { json: { username: o.user, password: o.password ?? '' } });
  return call;
}

const key = (prefix: string, i: number, width: number) => `${prefix}${String(i + 1).padStart(width, '0')}`;

export async function prepareFleet(o: FleetOptions): Promise<Fleet> {
  const call = await apiClient(o);
  const product = await call<Product>('GET', `/api/products/${encodeURIComponent(o.productKey)}`);
  const stored = await call<StoredThingModel>('GET', `/api/thing-models/${encodeURIComponent(product.modelId)}`);
  const width = Math.max(4, String(o.count).length);
  const wanted = Array.from({ length: o.count }, (_, i) => key(o.prefix, i, width));
  const found = new Map<string, Device>();
  for (let offset = 0; ; offset += 1000) {
    const page = await call<DevicesResponse>('GET', `/api/devices?productKey=${encodeURIComponent(o.productKey)}&search=${encodeURIComponent(o.prefix)}&limit=1000&offset=${offset}`);
    for (const d of page.devices) found.set(d.deviceKey, d);
    if (page.devices.length < 1000) break;
  }
  const missing = wanted.filter((k) => !found.has(k));
  if (missing.length && !o.create) throw new Error(`${missing.length} of ${o.count} devices (${missing[0]}…) do not exist; add --create to create them`);
  let created = 0;
  if (missing.length) {
    // Required attributes need values; the simulator gives each its type's zero.
    const required = stored.model.attributes.filter((a) => a.required);
    const zero = (t: string) => (t === 'bool' ? 'false' : t === 'string' ? 'simulated' : t === 'date' ? String(Date.now()) : '0');
    const header = ['deviceKey', 'name', ...required.map((a) => a.identifier)].join(',');
    const lines = missing.map((k) => [k, `Simulated ${k}`, ...required.map((a) => zero(a.spec.type))].join(','));
    const result = await call<ImportDevicesResponse>('POST', `/api/devices/import?productKey=${encodeURIComponent(o.productKey)}`, { csv: [header, ...lines].join('\n') });
    for (const d of result.created) found.set(d.deviceKey, d);
    created = result.created.length;
  }
  const broker = await call<{ port: number }>('GET', '/api/devices/broker');
  const devices = wanted.map((k) => {
    const d = found.get(k) as Device;
    return { productKey: d.productKey, deviceKey: d.deviceKey, deviceSecret: d.deviceSecret };
  });
  return { product, model: stored.model, devices, created, brokerPort: broker.port };
}
