/**
 * The subset of JSON Schema (draft 2020-12, as zod's toJSONSchema writes it) that the editor
 * reads to build forms and to validate properties before a deploy.
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  [extension: string]: unknown;
}

export interface SchemaIssue {
  /** Dotted path below the validated value ('' for the value itself). */
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export interface ValidateOptions {
  /**
   * Node-RED's flows store numbers and booleans as strings ("repeat": "", "once": "false"), leave
   * out properties that have defaults, and its nodes read them loosely; lenient mode accepts what
   * they accept.
   */
  lenient?: boolean;
}

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function matchesType(value: unknown, type: string, lenient: boolean): boolean {
  const actual = typeOf(value);
  if (type === 'number' || type === 'integer') {
    if (actual === 'integer' || (type === 'number' && actual === 'number')) return true;
    return lenient && typeof value === 'string' && (value.trim() === '' || NUMERIC.test(value));
  }
  if (lenient && type === 'boolean' && (value === 'true' || value === 'false')) return true;
  if (lenient && type === 'string' && (actual === 'number' || actual === 'integer' || actual === 'boolean')) return true;
  return actual === type;
}

const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Validates a value; returns every issue found, empty when valid. Unknown keywords are ignored. */
export function validateSchema(schema: JsonSchema, value: unknown, path = '', opts: ValidateOptions = {}): SchemaIssue[] {
  const lenient = opts.lenient === true;
  const issues: SchemaIssue[] = [];
  const add = (message: string, at = path): void => {
    issues.push({ path: at, message });
  };

  if (schema.anyOf || schema.oneOf) {
    const options = schema.anyOf ?? schema.oneOf ?? [];
    const results = options.map((s) => validateSchema(s, value, path, opts));
    if (!results.some((r) => r.length === 0)) {
      // Report the option that came closest, so the message stays concrete.
      const best = results.reduce((a, b) => (b.length < a.length ? b : a), results[0] ?? []);
      issues.push(...(best.length ? best : [{ path, message: 'does not match any allowed form' }]));
    }
  }
  for (const part of schema.allOf ?? []) issues.push(...validateSchema(part, value, path, opts));

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t, lenient))) {
      add(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return issues;
    }
  }
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    add(`must be ${describe(schema.const)}`);
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    add(`must be one of ${schema.enum.map(describe).join(', ')}`);
  }
  const num = typeof value === 'number' ? value : lenient && typeof value === 'string' && NUMERIC.test(value) ? Number(value) : undefined;
  if (num !== undefined && (schema.type === 'number' || schema.type === 'integer' || typeof value === 'number')) {
    const value = num;
    if (schema.minimum !== undefined && value < schema.minimum) add(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) add(`must be <= ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      add(`must be > ${schema.exclusiveMinimum}`);
    }
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
      add(`must be < ${schema.exclusiveMaximum}`);
    }
    if (schema.multipleOf !== undefined && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) {
      add(`must be a multiple of ${schema.multipleOf}`);
    }
  }
  if (typeof value === 'string' && !(lenient && schema.type !== 'string' && schema.type !== undefined)) {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      add(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      add(`must be at most ${schema.maxLength} characters`);
    }
    if (schema.pattern !== undefined && !safeRegExp(schema.pattern)?.test(value)) add(`must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) add(`needs at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) add(`allows at most ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => issues.push(...validateSchema(schema.items ?? {}, item, join(path, i), opts)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (obj[key] === undefined && (!lenient || mustBeGiven(schema.properties?.[key]))) add('is required', join(path, key));
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (obj[key] !== undefined) issues.push(...validateSchema(sub, obj[key], join(path, key), opts));
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(obj)) if (!(key in (schema.properties ?? {}))) add('is not allowed', join(path, key));
    }
  }
  return issues;
}

/**
 * In lenient mode a missing property counts only when it must be non-empty: Node-RED nodes fill
 * the rest with defaults that a JSON Schema of their loose inputs cannot show.
 */
function mustBeGiven(schema: JsonSchema | undefined): boolean {
  if (!schema || schema.default !== undefined) return false;
  return (schema.minLength ?? 0) >= 1 || (schema.minItems ?? 0) >= 1;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    // A pattern JavaScript cannot compile is not the user's fault: do not report it as theirs.
    return undefined;
  }
}

/** Drops `null` from a nullable union so the form can pick a widget for the real type. */
export function nonNullSchema(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const rest = options.filter((o) => o.type !== 'null');
  return rest.length === 1 && rest[0] ? { ...schema, ...rest[0], anyOf: undefined, oneOf: undefined } : schema;
}

/** The primary JSON type a schema describes, used to pick a form widget. */
export function primaryType(schema: JsonSchema): string | undefined {
  const s = nonNullSchema(schema);
  if (s.enum) return 'enum';
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  if (s.const !== undefined) return typeOf(s.const);
  return undefined;
}
