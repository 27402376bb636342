import type { AuthMode, DeviceRef, DeviceState, NodeType, PointValue, ThingModel } from '@gridflow/runtime/contract';

/**
 * The device registry's storage. Async so that PostgreSQL can replace SQLite; the SQLite
 * implementation is sqlite-store.ts. Methods that break a uniqueness or reference rule
 * throw ApiFailure (CONFLICT / NOT_FOUND) naming the key, like the core stores.
 */

export interface ModelRecord {
  model: ThingModel;
  createdAt: string;
  updatedAt: string;
  products: number;
}

export interface ProductRecord {
  productKey: string;
  name: string;
  description?: string;
  modelId: string;
  authMode: AuthMode;
  nodeType: NodeType;
  productSecret: string;
  devices: number;
  createdAt: string;
  updatedAt: string;
}

export interface DeviceRecord {
  productKey: string;
  deviceKey: string;
  name: string;
  description?: string;
  deviceSecret: string;
  attributes: Record<string, unknown>;
  state: DeviceState;
  disabled: boolean;
  lastSeen: string | null;
  gateway: DeviceRef | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewDevice {
  productKey: string;
  deviceKey: string;
  name: string;
  description?: string;
  deviceSecret: string;
  attributes: Record<string, unknown>;
}

export interface DeviceListQuery {
  productKey?: string;
  state?: DeviceState;
  search?: string;
  limit: number;
  offset: number;
}

/** What the broker learned about a device since the last flush. */
export interface DeviceRuntimeUpdate {
  productKey: string;
  deviceKey: string;
  state?: DeviceState;
  lastSeen?: string;
  /** Points to merge into the stored latest values. */
  points?: Record<string, PointValue>;
}

export interface DeviceStore {
  listModels(): Promise<ModelRecord[]>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  /** CONFLICT when the id is taken. */
  createModel(model: ThingModel): Promise<ModelRecord>;
  updateModel(model: ThingModel): Promise<ModelRecord | undefined>;
  /** CONFLICT while a product uses it; false when it does not exist. */
  deleteModel(id: string): Promise<boolean>;

  listProducts(): Promise<ProductRecord[]>;
  getProduct(productKey: string): Promise<ProductRecord | undefined>;
  /** CONFLICT when the key is taken, NOT_FOUND when the model does not exist. */
  createProduct(product: Omit<ProductRecord, 'devices' | 'createdAt' | 'updatedAt'>): Promise<ProductRecord>;
  updateProduct(
    productKey: string,
    patch: { name?: string; description?: string; authMode?: AuthMode },
  ): Promise<ProductRecord | undefined>;
  /** CONFLICT while the product has devices; false when it does not exist. */
  deleteProduct(productKey: string): Promise<boolean>;

  listDevices(query: DeviceListQuery): Promise<{ devices: DeviceRecord[]; total: number }>;
  getDevice(productKey: string, deviceKey: string): Promise<DeviceRecord | undefined>;
  /** All or nothing: CONFLICT naming the first key taken. */
  createDevices(devices: NewDevice[]): Promise<DeviceRecord[]>;
  updateDevice(
    productKey: string,
    deviceKey: string,
    patch: { name?: string; description?: string; attributes?: Record<string, unknown>; disabled?: boolean },
  ): Promise<DeviceRecord | undefined>;
  /** Sub-devices of a deleted gateway lose their gateway. */
  deleteDevice(productKey: string, deviceKey: string): Promise<boolean>;
  /** The latest value of each point, as last flushed. */
  getPoints(productKey: string, deviceKey: string): Promise<Record<string, PointValue>>;
  /** Applies many runtime updates in one transaction (the broker's periodic flush). */
  applyRuntimeUpdates(updates: DeviceRuntimeUpdate[]): Promise<void>;
  /** Marks every online device offline (at start, after an unclean stop). */
  markAllOffline(): Promise<number>;

  /** Sets the gateway of each sub-device; CONFLICT when one already has another gateway. */
  addSubDevices(gateway: DeviceRef, subDevices: DeviceRef[]): Promise<void>;
  /** Removes them from this gateway's topology; returns how many were removed. */
  removeSubDevices(gateway: DeviceRef, subDevices: DeviceRef[]): Promise<number>;
  listSubDevices(gateway: DeviceRef): Promise<DeviceRecord[]>;
}
