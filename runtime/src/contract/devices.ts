import { z } from 'zod';
import type { Endpoint } from './endpoints.js';

/**
 * Device management: thing models, products, devices, topology, and the device broker.
 * EnOS-shaped: a product has a thing model and an auth mode; a device is the triple
 * productKey / deviceKey / deviceSecret and connects over MQTT with EnOS's CONNECT signature.
 * Browser-safe (zod only): the editor builds its device pages from these schemas.
 */

/** Identifier of a model, feature, parameter or struct field: a letter, then letters, digits or _. */
export const identifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and _');

/** productKey / deviceKey: letters, digits, _ . - (they appear in MQTT topics and usernames). */
export const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits and _ . - only');

const nameSchema = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const descriptionSchema = z.string().max(2000, 'must be at most 2000 characters');

// ---------------------------------------------------------------------------------------------
// Data types

export const dataTypes = ['int', 'float', 'double', 'bool', 'string', 'enum', 'date', 'array', 'struct'] as const;
export type DataType = (typeof dataTypes)[number];

const rangeCheck = (v: { min?: number | undefined; max?: number | undefined }) => v.min === undefined || v.max === undefined || v.min <= v.max;
const rangeMessage = { message: 'min must not exceed max', path: ['max'] };

/** int is a 32-bit signed integer; float and double are finite numbers. `unit` is free text (kW, °C). */
export const intSpecSchema = z
  .object({ type: z.literal('int'), unit: z.string().max(32).optional(), min: z.number().int().optional(), max: z.number().int().optional() })
  .refine(rangeCheck, rangeMessage);
export const floatSpecSchema = z
  .object({ type: z.literal('float'), unit: z.string().max(32).optional(), min: z.number().optional(), max: z.number().optional() })
  .refine(rangeCheck, rangeMessage);
export const doubleSpecSchema = z
  .object({ type: z.literal('double'), unit: z.string().max(32).optional(), min: z.number().optional(), max: z.number().optional() })
  .refine(rangeCheck, rangeMessage);
export const boolSpecSchema = z.object({ type: z.literal('bool') });
export const stringSpecSchema = z.object({
  type: z.literal('string'),
  /** Longest value accepted, in characters. */
  maxLength: z.number().int().positive().max(1_000_000).default(1024),
});
export const enumSpecSchema = z.object({
  type: z.literal('enum'),
  /** The allowed integer values and what each means. */
  values: z
    .array(z.object({ value: z.number().int(), label: z.string().min(1).max(200) }))
    .min(1, 'an enum needs at least one value')
    .refine((vs) => new Set(vs.map((v) => v.value)).size === vs.length, { message: 'enum values must be distinct' }),
});
/** A point in time: epoch milliseconds, or an ISO 8601 string. */
export const dateSpecSchema = z.object({ type: z.literal('date') });

export const primitiveSpecSchema = z.discriminatedUnion('type', [
  intSpecSchema,
  floatSpecSchema,
  doubleSpecSchema,
  boolSpecSchema,
  stringSpecSchema,
  enumSpecSchema,
  dateSpecSchema,
]);
export type PrimitiveSpec = z.infer<typeof primitiveSpecSchema>;

const uniqueIdentifiers = (items: { identifier: string }[]) => new Set(items.map((i) => i.identifier)).size === items.length;

export const structFieldSchema = z.object({
  identifier: identifierSchema,
  name: nameSchema.optional(),
  spec: primitiveSpecSchema,
  /** A struct value without a required field is refused. */
  required: z.boolean().default(false),
});
export type StructField = z.infer<typeof structFieldSchema>;

export const structSpecSchema = z.object({
  type: z.literal('struct'),
  fields: z
    .array(structFieldSchema)
    .min(1, 'a struct needs at least one field')
    .refine(uniqueIdentifiers, { message: 'struct field identifiers must be distinct' }),
});
export const arraySpecSchema = z.object({
  type: z.literal('array'),
  items: z.discriminatedUnion('type', [...primitiveSpecSchema.options, structSpecSchema]),
  maxItems: z.number().int().positive().max(100_000).default(1024),
});

/** The type of a value: a primitive, an array (of primitives or structs) or a struct (of primitives). */
export const dataSpecSchema = z.discriminatedUnion('type', [...primitiveSpecSchema.options, structSpecSchema, arraySpecSchema]);
export type DataSpec = z.infer<typeof dataSpecSchema>;
export type DataSpecInput = z.input<typeof dataSpecSchema>;

// ---------------------------------------------------------------------------------------------
// Thing models

/** AI analog (int/float/double), DI digital (int/enum/bool), PI pulse counter (int/float/double), Generic any type. */
export const pointTypes = ['AI', 'DI', 'PI', 'Generic'] as const;
export const pointTypeSchema = z.enum(pointTypes);
export type PointType = z.infer<typeof pointTypeSchema>;

const allowedByPointType: Record<PointType, readonly DataType[]> = {
  AI: ['int', 'float', 'double'],
  DI: ['int', 'enum', 'bool'],
  PI: ['int', 'float', 'double'],
  Generic: dataTypes,
};

export const measurePointSchema = z
  .object({
    identifier: identifierSchema,
    name: nameSchema,
    description: descriptionSchema.optional(),
    pointType: pointTypeSchema.default('Generic'),
    spec: dataSpecSchema,
    /** The device may post `{ value, quality }` instead of the bare value. */
    hasQuality: z.boolean().default(false),
  })
  .refine((p) => allowedByPointType[p.pointType].includes(p.spec.type), {
    message: 'this data type is not allowed for the point type (AI and PI: int, float, double; DI: int, enum, bool)',
    path: ['spec', 'type'],
  });
export type MeasurePoint = z.infer<typeof measurePointSchema>;

export const attributeSchema = z.object({
  identifier: identifierSchema,
  name: nameSchema,
  description: descriptionSchema.optional(),
  spec: dataSpecSchema,
  /** A device of a product with this model must have a value for it. */
  required: z.boolean().default(false),
});
export type Attribute = z.infer<typeof attributeSchema>;

/** An input or output parameter of an event or service. */
export const paramSchema = z.object({
  identifier: identifierSchema,
  name: nameSchema.optional(),
  spec: dataSpecSchema,
  required: z.boolean().default(false),
});
export type Param = z.infer<typeof paramSchema>;

const paramList = z.array(paramSchema).default([]).refine(uniqueIdentifiers, { message: 'parameter identifiers must be distinct' });

export const eventSchema = z.object({
  identifier: identifierSchema,
  name: nameSchema,
  description: descriptionSchema.optional(),
  eventType: z.enum(['info', 'warning', 'error']).default('info'),
  outputs: paramList,
});
export type ThingEvent = z.infer<typeof eventSchema>;

export const serviceSchema = z.object({
  identifier: identifierSchema,
  name: nameSchema,
  description: descriptionSchema.optional(),
  /** sync: the caller waits for the device's reply; async: the invoke returns once the device has it. */
  callType: z.enum(['sync', 'async']).default('sync'),
  inputs: paramList,
  outputs: paramList,
});
export type ThingService = z.infer<typeof serviceSchema>;

/** Identifiers the protocol itself uses under thing/service/ and thing/event/. */
export const reservedFeatureIdentifiers = ['measurepoint'] as const;

/** A thing model: what a kind of device has (attributes), reports (points, events) and does (services). */
export const thingModelSchema = z
  .object({
    id: identifierSchema,
    name: nameSchema,
    description: descriptionSchema.optional(),
    attributes: z.array(attributeSchema).default([]),
    measurePoints: z.array(measurePointSchema).default([]),
    events: z.array(eventSchema).default([]),
    services: z.array(serviceSchema).default([]),
  })
  .superRefine((m, ctx) => {
    // One identifier names one feature across all kinds, as in EnOS.
    const seen = new Map<string, string>();
    const kinds = [
      ['attributes', m.attributes],
      ['measurePoints', m.measurePoints],
      ['events', m.events],
      ['services', m.services],
    ] as const;
    for (const [kind, items] of kinds) {
      items.forEach((item, index) => {
        const prior = seen.get(item.identifier);
        if (prior) {
          ctx.addIssue({ code: 'custom', path: [kind, index, 'identifier'], message: `identifier "${item.identifier}" is already used by ${prior}` });
        } else seen.set(item.identifier, `${kind}.${index}`);
        if ((kind === 'events' || kind === 'services') && (reservedFeatureIdentifiers as readonly string[]).includes(item.identifier)) {
          ctx.addIssue({ code: 'custom', path: [kind, index, 'identifier'], message: `identifier "${item.identifier}" is reserved by the protocol` });
        }
      });
    }
  });
export type ThingModel = z.infer<typeof thingModelSchema>;
export type ThingModelInput = z.input<typeof thingModelSchema>;

export const storedThingModelSchema = z.object({
  model: thingModelSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Products that use the model. */
  products: z.number().int(),
});
export type StoredThingModel = z.infer<typeof storedThingModelSchema>;

/** GET /api/thing-models */
export const thingModelsResponseSchema = z.object({ models: z.array(storedThingModelSchema) });
export type ThingModelsResponse = z.infer<typeof thingModelsResponseSchema>;

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

export const deviceRefSchema = z.object({ productKey: keySchema, deviceKey: keySchema });
export type DeviceRef = z.infer<typeof deviceRefSchema>;

/** POST /api/devices/:productKey/:deviceKey/sub-devices (the gateway in the path). */
export const addSubDevicesRequestSchema = z.object({ subDevices: z.array(deviceRefSchema).min(1, 'give at least one sub-device') });
export type AddSubDevicesRequest = z.infer<typeof addSubDevicesRequestSchema>;
export const subDevicesResponseSchema = z.object({ subDevices: z.array(deviceSchema) });
export type SubDevicesResponse = z.infer<typeof subDevicesResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Commands to devices

/** POST /api/devices/:productKey/:deviceKey/services/:service */
export const invokeServiceRequestSchema = z.object({
  params: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});
export type InvokeServiceRequest = z.input<typeof invokeServiceRequestSchema>;

/** POST /api/devices/:productKey/:deviceKey/points/set */
export const setPointsRequestSchema = z.object({
  points: z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length > 0, { message: 'give at least one point' }),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
});
export type SetPointsRequest = z.input<typeof setPointsRequestSchema>;

/** The device's reply to a command, as EnOS devices send it (`code` 200 is success). */
export const deviceReplySchema = z.object({
  id: z.string(),
  code: z.number().int(),
  data: z.unknown(),
  message: z.string().optional(),
});
export type DeviceReplyInfo = z.infer<typeof deviceReplySchema>;

// ---------------------------------------------------------------------------------------------
// Broker

/** GET /api/devices/broker */
export const brokerStatusSchema = z.object({
  /** The TCP port the device broker listens on (1883, or the next free one). */
  port: z.number().int(),
  connected: z.number().int(),
  counters: z.object({
    messages: z.number().int(),
    rejectedConnects: z.number().int(),
    aclViolations: z.number().int(),
    invalidMessages: z.number().int(),
  }),
});
export type BrokerStatus = z.infer<typeof brokerStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Protocol constants devices see

/** Reply codes the broker sends on `{topic}_reply`. */
export const replyCodes = {
  ok: 200,
  /** Payload is not JSON, or the envelope / params have the wrong shape. */
  badPayload: 1202,
  /** Unknown measure point, event, service or attribute, or a value of the wrong type. */
  badValue: 1204,
  /** The topic names no method the broker knows. */
  unknownMethod: 1250,
  /** A device (or sub-device) that is not registered, not in the gateway's topology or not logged in. */
  unknownDevice: 1257,
  /** The envelope's `method` does not match the topic. */
  methodMismatch: 1260,
  /** Authentication of a sub-device failed (bad signature, disabled). */
  authFailed: 1258,
  /** The server failed handling a valid request. */
  internal: 500,
} as const;

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
