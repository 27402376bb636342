import { z } from 'zod';
import { deviceRefSchema, type DeviceRef } from './device-ref.js';
import type { Endpoint } from './endpoints.js';
import {
  brokerStatusSchema,
  deviceMessagesQuerySchema,
  deviceMessagesResponseSchema,
  deviceReplySchema,
  invokeServiceRequestSchema,
  setPointsRequestSchema,
} from './device-traffic.js';
import { descriptionSchema, identifierSchema, keySchema, nameSchema, storedThingModelSchema, thingModelSchema, thingModelsResponseSchema } from './thing-models.js';

export * from './thing-models.js';
export * from './device-traffic.js';

/**
 * Device management: thing models (thing-models.ts), products, devices, topology, commands and
 * the device broker (device-traffic.ts), and the REST endpoints of all of them.
 * EnOS-shaped: a product has a thing model and an auth mode; a device is the triple
 * productKey / deviceKey / deviceSecret and connects over MQTT with EnOS's CONNECT signature.
 * Browser-safe (zod only): the editor builds its device pages from these schemas.
 */

// ---------------------------------------------------------------------------------------------
// Products

/** device-secret: each device signs with its own secret; dynamic: also accepts activation with the product secret. */
export const authModeSchema = z.enum(['device-secret', 'dynamic']);
export type AuthMode = z.infer<typeof authModeSchema>;

/** device: connects by itself; gateway: may also add sub-devices and speak for them. */
export const nodeTypeSchema = z.enum(['device', 'gateway']);
export type NodeType = z.infer<typeof nodeTypeSchema>;

export const productSchema = z.object({
  productKey: keySchema,
  name: nameSchema,
  description: descriptionSchema.optional(),
  modelId: identifierSchema,
  authMode: authModeSchema,
  nodeType: nodeTypeSchema,
  /** Shown to admins and editors; devices of a dynamic product sign their activation with it. */
  productSecret: z.string(),
  devices: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof productSchema>;

/** POST /api/products → productSchema (201). Keys and secret are generated when not given. */
export const createProductRequestSchema = z.object({
  productKey: keySchema.optional(),
  name: nameSchema,
  description: descriptionSchema.optional(),
  modelId: identifierSchema,
  authMode: authModeSchema.default('device-secret'),
  nodeType: nodeTypeSchema.default('device'),
  productSecret: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
});
export type CreateProductRequest = z.input<typeof createProductRequestSchema>;

/** PATCH /api/products/:productKey → productSchema. The model and key of a product never change. */
export const updateProductRequestSchema = z
  .object({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    authMode: authModeSchema.optional(),
  })
  .strict();
export type UpdateProductRequest = z.infer<typeof updateProductRequestSchema>;

export const productsResponseSchema = z.object({ products: z.array(productSchema) });
export type ProductsResponse = z.infer<typeof productsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Devices

/** inactive: never connected; online / offline after the first login. `disabled` is separate. */
export const deviceStateSchema = z.enum(['inactive', 'online', 'offline']);
export type DeviceState = z.infer<typeof deviceStateSchema>;

export const pointValueSchema = z.object({
  value: z.unknown(),
  /** Epoch ms the device gave (or the server's receive time). */
  time: z.number(),
  quality: z.number().int().optional(),
});
export type PointValue = z.infer<typeof pointValueSchema>;

export const deviceSchema = z.object({
  productKey: z.string(),
  deviceKey: z.string(),
  name: z.string(),
  description: z.string().optional(),
  deviceSecret: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  state: deviceStateSchema,
  disabled: z.boolean(),
  /** ISO 8601, null when never seen. */
  lastSeen: z.string().nullable(),
  /** The gateway whose sub-device this is, if any. */
  gateway: z.object({ productKey: z.string(), deviceKey: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;

const attributeValuesSchema = z.record(identifierSchema, z.unknown());

/** POST /api/devices → deviceSchema (201). The device key and secret are generated when not given. */
export const createDeviceRequestSchema = z.object({
  productKey: keySchema,
  deviceKey: keySchema.optional(),
  name: nameSchema,
  description: descriptionSchema.optional(),
  deviceSecret: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
  attributes: attributeValuesSchema.default({}),
});
export type CreateDeviceRequest = z.input<typeof createDeviceRequestSchema>;

/** PATCH /api/devices/:productKey/:deviceKey → deviceSchema. Disabling drops a connected device. */
export const updateDeviceRequestSchema = z
  .object({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    /** Merged into the stored values; a null value removes that attribute. */
    attributes: z.record(identifierSchema, z.unknown()).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateDeviceRequest = z.infer<typeof updateDeviceRequestSchema>;

/** GET /api/devices?productKey=&state=&search=&limit=&offset= */
export const devicesQuerySchema = z.object({
  productKey: z.string().optional(),
  state: deviceStateSchema.optional(),
  /** Substring of the device key or name. */
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DevicesQuery = z.input<typeof devicesQuerySchema>;

export const devicesResponseSchema = z.object({ devices: z.array(deviceSchema), total: z.number().int() });
export type DevicesResponse = z.infer<typeof devicesResponseSchema>;

/**
 * POST /api/devices/import: CSV text, either as the body with Content-Type text/csv (and
 * `?productKey=` for files without that column) or as JSON `{ csv, productKey? }`.
 * Header row: deviceKey, name, and optionally productKey, deviceSecret, description; every
 * other column is an attribute identifier. All rows are created, or none (400 naming each bad line).
 */
export const importDevicesRequestSchema = z.object({
  csv: z.string().min(1, 'csv must not be empty'),
  productKey: keySchema.optional(),
});
export type ImportDevicesRequest = z.infer<typeof importDevicesRequestSchema>;
export const importDevicesResponseSchema = z.object({ created: z.array(deviceSchema) });
export type ImportDevicesResponse = z.infer<typeof importDevicesResponseSchema>;

/** GET /api/devices/:productKey/:deviceKey/points: the latest value of every point reported. */
export const devicePointsResponseSchema = z.object({ points: z.record(z.string(), pointValueSchema) });
export type DevicePointsResponse = z.infer<typeof devicePointsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Topology

export { deviceRefSchema, type DeviceRef };

/** POST /api/devices/:productKey/:deviceKey/sub-devices (the gateway in the path). */
export const addSubDevicesRequestSchema = z.object({ subDevices: z.array(deviceRefSchema).min(1, 'give at least one sub-device') });
export type AddSubDevicesRequest = z.infer<typeof addSubDevicesRequestSchema>;
export const subDevicesResponseSchema = z.object({ subDevices: z.array(deviceSchema) });
export type SubDevicesResponse = z.infer<typeof subDevicesResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Endpoints

/** The device REST API, one entry per route, in the same shape as `endpoints`. */
export const deviceEndpoints = {
  listThingModels: { method: 'GET', path: '/api/thing-models', auth: 'viewer', response: thingModelsResponseSchema },
  getThingModel: { method: 'GET', path: '/api/thing-models/:modelId', auth: 'viewer', response: storedThingModelSchema },
  createThingModel: { method: 'POST', path: '/api/thing-models', auth: 'editor', body: thingModelSchema, response: storedThingModelSchema, status: 201 },
  /** Body: the whole model; its `id` must match the path. */
  updateThingModel: { method: 'PATCH', path: '/api/thing-models/:modelId', auth: 'editor', body: thingModelSchema, response: storedThingModelSchema },
  /** 409 while a product uses the model. */
  deleteThingModel: { method: 'DELETE', path: '/api/thing-models/:modelId', auth: 'editor', status: 204 },

  listProducts: { method: 'GET', path: '/api/products', auth: 'viewer', response: productsResponseSchema },
  getProduct: { method: 'GET', path: '/api/products/:productKey', auth: 'viewer', response: productSchema },
  createProduct: { method: 'POST', path: '/api/products', auth: 'editor', body: createProductRequestSchema, response: productSchema, status: 201 },
  updateProduct: { method: 'PATCH', path: '/api/products/:productKey', auth: 'editor', body: updateProductRequestSchema, response: productSchema },
  /** 409 while the product has devices. */
  deleteProduct: { method: 'DELETE', path: '/api/products/:productKey', auth: 'editor', status: 204 },

  listDevices: { method: 'GET', path: '/api/devices', auth: 'viewer', query: devicesQuerySchema, response: devicesResponseSchema },
  createDevice: { method: 'POST', path: '/api/devices', auth: 'editor', body: createDeviceRequestSchema, response: deviceSchema, status: 201 },
  importDevices: { method: 'POST', path: '/api/devices/import', auth: 'editor', body: importDevicesRequestSchema, response: importDevicesResponseSchema, status: 201 },
  brokerStatus: { method: 'GET', path: '/api/devices/broker', auth: 'viewer', response: brokerStatusSchema },
  getDevice: { method: 'GET', path: '/api/devices/:productKey/:deviceKey', auth: 'viewer', response: deviceSchema },
  updateDevice: { method: 'PATCH', path: '/api/devices/:productKey/:deviceKey', auth: 'editor', body: updateDeviceRequestSchema, response: deviceSchema },
  deleteDevice: { method: 'DELETE', path: '/api/devices/:productKey/:deviceKey', auth: 'editor', status: 204 },
  devicePoints: { method: 'GET', path: '/api/devices/:productKey/:deviceKey/points', auth: 'viewer', response: devicePointsResponseSchema },
  /** Recent events, lifecycle changes, attribute changes and command replies, newest first. 404 for an unknown device. */
  deviceMessages: {
    method: 'GET',
    path: '/api/devices/:productKey/:deviceKey/messages',
    auth: 'viewer',
    query: deviceMessagesQuerySchema,
    response: deviceMessagesResponseSchema,
  },
  invokeService: {
    method: 'POST',
    path: '/api/devices/:productKey/:deviceKey/services/:service',
    auth: 'editor',
    body: invokeServiceRequestSchema,
    response: deviceReplySchema,
  },
  setPoints: { method: 'POST', path: '/api/devices/:productKey/:deviceKey/points/set', auth: 'editor', body: setPointsRequestSchema, response: deviceReplySchema },

  listSubDevices: { method: 'GET', path: '/api/devices/:productKey/:deviceKey/sub-devices', auth: 'viewer', response: subDevicesResponseSchema },
  addSubDevices: {
    method: 'POST',
    path: '/api/devices/:productKey/:deviceKey/sub-devices',
    auth: 'editor',
    body: addSubDevicesRequestSchema,
    response: subDevicesResponseSchema,
  },
  removeSubDevice: { method: 'DELETE', path: '/api/devices/:productKey/:deviceKey/sub-devices/:subProductKey/:subDeviceKey', auth: 'editor', status: 204 },
} as const satisfies Record<string, Endpoint>;

export type DeviceEndpointName = keyof typeof deviceEndpoints;
