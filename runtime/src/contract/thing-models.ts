import { z } from 'zod';
import { keySchema } from './device-ref.js';

/**
 * Thing models (EnOS's TSL): data types, attributes, measure points, events and services.
 * Browser-safe (zod only): the editor builds its model forms from these schemas.
 */

/** Identifier of a model, feature, parameter or struct field: a letter, then letters, digits or _. */
export const identifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and _');

export { keySchema };

export const nameSchema = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const descriptionSchema = z.string().max(2000, 'must be at most 2000 characters');

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
