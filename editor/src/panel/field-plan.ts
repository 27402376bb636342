import {
  findTypedInputs,
  nonNullSchema,
  primaryType,
  type JsonSchema,
  type TypedInputPair,
} from '../model/index.js';

export type FieldKind =
  | { kind: 'text'; multiline: boolean }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'select'; options: unknown[] }
  | { kind: 'json' }
  | { kind: 'code'; language: 'javascript' | 'text' }
  | { kind: 'typed'; pair: TypedInputPair }
  | { kind: 'config'; configType: string }
  | { kind: 'list'; item: JsonSchema };

export interface FieldPlan {
  key: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  field: FieldKind;
}

/** Fields of a flows.json entry that are the editor's business, not the form's. */
const HIDDEN = new Set(['id', 'type', 'z', 'g', 'wires', 'x', 'y', 'w', 'h', 'd', 'l', '_users']);
const JS_CODE = new Set(['func', 'initialize', 'finalize']);
const CONFIG_MARKERS = ['x-config-type', 'configType', 'x-node-type', 'nodeType'];

/** "payloadType" → "Payload type", "maxKeepalive" → "Max keepalive". */
export function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function configTypeOf(schema: JsonSchema): string | undefined {
  for (const m of CONFIG_MARKERS) {
    const v = schema[m];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function isCode(key: string, schema: JsonSchema): 'javascript' | 'text' | undefined {
  const format = schema.format ?? schema['x-editor'] ?? schema['contentMediaType'];
  if (format === 'javascript' || format === 'text/javascript' || format === 'application/javascript') return 'javascript';
  if (JS_CODE.has(key)) return 'javascript';
  if (format === 'code' || format === 'template') return 'text';
  return undefined;
}

function kindFor(key: string, schema: JsonSchema, value: unknown, configRef: ((key: string) => string | undefined) | undefined): FieldKind {
  const s = nonNullSchema(schema);
  const configType = configTypeOf(s) ?? configRef?.(key);
  if (configType) return { kind: 'config', configType };
  const code = isCode(key, s);
  if (code) return { kind: 'code', language: code };
  const type = primaryType(s);
  switch (type) {
    case 'enum':
      return { kind: 'select', options: s.enum ?? [] };
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
    case 'integer':
      return { kind: 'number', integer: type === 'integer' };
    case 'string':
      return { kind: 'text', multiline: key === 'info' || s.format === 'markdown' || (typeof value === 'string' && value.includes('\n')) };
    case 'array':
      return s.items?.type === 'object' && s.items.properties ? { kind: 'list', item: s.items } : { kind: 'json' };
    case undefined:
      return guessFromValue(value);
    default:
      return { kind: 'json' };
  }
}

function guessFromValue(value: unknown): FieldKind {
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (typeof value === 'number') return { kind: 'number', integer: false };
  if (typeof value === 'string' || value === undefined) return { kind: 'text', multiline: typeof value === 'string' && value.includes('\n') };
  return { kind: 'json' };
}

/**
 * Plans a form from a JSON Schema: one field per property, typed inputs as one field with their
 * type companion, `name` first. Properties the node has but the schema does not list (unknown
 * types, extra Node-RED fields) are shown too, guessed from their values.
 */
export function planFields(
  schema: JsonSchema | undefined,
  value: Record<string, unknown>,
  /** Finds config-node references the schema does not mark (named after the config type). */
  configRef?: (key: string) => string | undefined,
): FieldPlan[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const pairs = findTypedInputs(properties);
  const companions = new Set(pairs.map((p) => p.typeKey));
  const keys = [...Object.keys(properties)];
  for (const k of Object.keys(value)) if (!(k in properties) && !keys.includes(k)) keys.push(k);
  const plans: FieldPlan[] = [];
  for (const key of keys) {
    if (HIDDEN.has(key) || companions.has(key)) continue;
    const propSchema = properties[key] ?? {};
    const pair = pairs.find((p) => p.valueKey === key);
    plans.push({
      key,
      label: typeof propSchema.title === 'string' ? propSchema.title : humanise(key),
      schema: propSchema,
      // The server fills most missing properties itself; mark only those that must be non-empty.
      required: required.has(key) && ((propSchema.minLength ?? 0) >= 1 || (propSchema.minItems ?? 0) >= 1),
      field: pair ? { kind: 'typed', pair } : kindFor(key, propSchema, value[key], configRef),
    });
  }
  const nameAt = plans.findIndex((p) => p.key === 'name');
  if (nameAt > 0) plans.unshift(...plans.splice(nameAt, 1));
  return plans;
}
