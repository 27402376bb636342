import type { z } from 'zod';
import {
  attributeSchema,
  eventSchema,
  measurePointSchema,
  paramSchema,
  serviceSchema,
  type DataSpecInput,
  type DataType,
  type PointType,
  type ThingModelInput,
} from '@gridflow/runtime/contract';

/** What the model form edits: the contract's input shapes, so the schema validates them as they are. */
export type AttributeDraft = z.input<typeof attributeSchema>;
export type PointDraft = z.input<typeof measurePointSchema>;
export type EventDraft = z.input<typeof eventSchema>;
export type ServiceDraft = z.input<typeof serviceSchema>;
export type ParamDraft = z.input<typeof paramSchema>;
export type ModelDraft = ThingModelInput;

/** The data types a measure point of each point type may have (the contract refuses others). */
export const dataTypesByPointType: Record<PointType, readonly DataType[]> = {
  AI: ['int', 'float', 'double'],
  DI: ['int', 'enum', 'bool'],
  PI: ['int', 'float', 'double'],
  Generic: ['int', 'float', 'double', 'bool', 'string', 'enum', 'date', 'array', 'struct'],
};

/** A fresh spec of a data type, carrying the unit over between numeric types. */
export function specOfType(type: DataType, previous?: DataSpecInput): DataSpecInput {
  const unit = previous && 'unit' in previous ? previous.unit : undefined;
  switch (type) {
    case 'int':
    case 'float':
    case 'double':
      return unit !== undefined ? { type, unit } : { type };
    case 'bool':
      return { type: 'bool' };
    case 'string':
      return { type: 'string', maxLength: 1024 };
    case 'enum':
      return { type: 'enum', values: [{ value: 0, label: 'off' }, { value: 1, label: 'on' }] };
    case 'date':
      return { type: 'date' };
    case 'struct':
      return { type: 'struct', fields: [{ identifier: 'field1', spec: { type: 'double' } }] };
    case 'array':
      return { type: 'array', items: { type: 'double' }, maxItems: 1024 };
  }
}

/** An identifier not yet used in the model: `point1`, `point2`, … */
export function freshIdentifier(model: ModelDraft, base: string): string {
  const used = new Set(
    [...(model.attributes ?? []), ...(model.measurePoints ?? []), ...(model.events ?? []), ...(model.services ?? [])].map((e) => e.identifier),
  );
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function newModel(): ModelDraft {
  return { id: '', name: '', attributes: [], measurePoints: [], events: [], services: [] };
}

export function newAttribute(model: ModelDraft): AttributeDraft {
  const identifier = freshIdentifier(model, 'attr');
  return { identifier, name: identifier, spec: { type: 'string', maxLength: 1024 }, required: false };
}

export function newPoint(model: ModelDraft): PointDraft {
  const identifier = freshIdentifier(model, 'point');
  return { identifier, name: identifier, pointType: 'AI', spec: { type: 'double' }, hasQuality: false };
}

export function newEvent(model: ModelDraft): EventDraft {
  const identifier = freshIdentifier(model, 'event');
  return { identifier, name: identifier, eventType: 'info', outputs: [] };
}

export function newService(model: ModelDraft): ServiceDraft {
  const identifier = freshIdentifier(model, 'service');
  return { identifier, name: identifier, callType: 'sync', inputs: [], outputs: [] };
}

export function newParam(existing: readonly ParamDraft[]): ParamDraft {
  const used = new Set(existing.map((p) => p.identifier));
  let i = 1;
  while (used.has(`param${i}`)) i++;
  return { identifier: `param${i}`, spec: { type: 'double' }, required: false };
}

/** Replaces item `index` of a list (immutably). */
export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_x, i) => i !== index);
}

/** A number input's value: undefined when empty or not a number (the schema then says what is missing). */
export function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** One-line summary of a spec for lists: "double [0…100] kW". */
export function describeSpec(spec: DataSpecInput): string {
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'double': {
      const range = spec.min !== undefined || spec.max !== undefined ? ` [${spec.min ?? '−∞'}…${spec.max ?? '∞'}]` : '';
      return `${spec.type}${range}${spec.unit ? ` ${spec.unit}` : ''}`;
    }
    case 'enum':
      return `enum (${spec.values.map((v) => `${v.value}=${v.label}`).join(', ')})`;
    case 'struct':
      return `struct {${spec.fields.map((f) => f.identifier).join(', ')}}`;
    case 'array':
      return `array of ${spec.items.type}`;
    default:
      return spec.type;
  }
}
