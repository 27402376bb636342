import type { DataSpec, PrimitiveSpec } from '@gridflow/runtime/contract';

/**
 * Value checks compiled from a data spec once per model, so checking a device message is a
 * few closure calls per value. `check` is the hot path: it returns the value (numbers sent as
 * numeric strings, as EnOS devices do, become numbers) or INVALID; `explain` is only called
 * on failure to say why.
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Checked = unknown;

export interface ValueCheck {
  check(v: unknown): Checked | typeof INVALID;
  explain(v: unknown): string;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function numberCheck(kind: 'int' | 'float' | 'double', min: number | undefined, max: number | undefined): ValueCheck {
  const lo = Math.max(min ?? -Infinity, kind === 'int' ? INT_MIN : -Infinity);
  const hi = Math.min(max ?? Infinity, kind === 'int' ? INT_MAX : Infinity);
  const isInt = kind === 'int';
  return {
    check(v) {
      const n = typeof v === 'number' ? v : toNumber(v);
      if (n === undefined || !Number.isFinite(n) || n < lo || n > hi) return INVALID;
      if (isInt && !Number.isInteger(n)) return INVALID;
      return n;
    },
    explain(v) {
      const n = toNumber(v);
      if (n === undefined || !Number.isFinite(n)) return `expected ${kind}, got ${describe(v)}`;
      if (isInt && !Number.isInteger(n)) return `expected int, got ${n}`;
      return `${n} is out of range [${lo}, ${hi}]`;
    },
  };
}

function primitiveCheck(spec: PrimitiveSpec): ValueCheck {
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'double':
      return numberCheck(spec.type, spec.min, spec.max);
    case 'bool':
      return {
        check: (v) => (v === true || v === false ? v : v === 1 ? true : v === 0 ? false : INVALID),
        explain: (v) => `expected bool (true, false, 1 or 0), got ${describe(v)}`,
      };
    case 'string': {
      const max = spec.maxLength;
      return {
        check: (v) => (typeof v === 'string' && v.length <= max ? v : INVALID),
        explain: (v) => (typeof v === 'string' ? `string is longer than ${max} characters` : `expected string, got ${describe(v)}`),
      };
    }
    case 'enum': {
      const allowed = new Set(spec.values.map((e) => e.value));
      return {
        check(v) {
          const n = typeof v === 'number' ? v : toNumber(v);
          return n !== undefined && allowed.has(n) ? n : INVALID;
        },
        explain: (v) => `expected one of ${[...allowed].join(', ')}, got ${describe(v)}`,
      };
    }
    case 'date':
      return {
        check(v) {
          if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
          if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return v;
          return INVALID;
        },
        explain: (v) => `expected a date (epoch ms or ISO 8601 string), got ${describe(v)}`,
      };
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function structCheck(fields: { identifier: string; spec: PrimitiveSpec; required: boolean }[]): ValueCheck {
  const byId = new Map(fields.map((f) => [f.identifier, primitiveCheck(f.spec)]));
  const required = fields.filter((f) => f.required).map((f) => f.identifier);
  return {
    check(v) {
      if (!isPlainObject(v)) return INVALID;
      for (const r of required) if (!(r in v)) return INVALID;
      for (const key in v) {
        const c = byId.get(key);
        if (!c) return INVALID;
        const out = c.check(v[key]);
        if (out === INVALID) return INVALID;
        v[key] = out;
      }
      return v;
    },
    explain(v) {
      if (!isPlainObject(v)) return `expected a struct (object), got ${describe(v)}`;
      for (const r of required) if (!(r in v)) return `field "${r}" is required`;
      for (const key in v) {
        const c = byId.get(key);
        if (!c) return `field "${key}" is not defined`;
        if (c.check(v[key]) === INVALID) return `field "${key}": ${c.explain(v[key])}`;
      }
      return 'invalid struct';
    },
  };
}

/** Compiles a data spec into a check. Structs and arrays are normalized in place (the value is the caller's own parse). */
export function compileSpec(spec: DataSpec): ValueCheck {
  if (spec.type === 'struct') return structCheck(spec.fields);
  if (spec.type !== 'array') return primitiveCheck(spec);
  const item = spec.items.type === 'struct' ? structCheck(spec.items.fields) : primitiveCheck(spec.items);
  const maxItems = spec.maxItems;
  return {
    check(v) {
      if (!Array.isArray(v) || v.length > maxItems) return INVALID;
      for (let i = 0; i < v.length; i++) {
        const out = item.check(v[i]);
        if (out === INVALID) return INVALID;
        v[i] = out;
      }
      return v;
    },
    explain(v) {
      if (!Array.isArray(v)) return `expected an array, got ${describe(v)}`;
      if (v.length > maxItems) return `array has ${v.length} items, more than ${maxItems}`;
      for (let i = 0; i < v.length; i++) if (item.check(v[i]) === INVALID) return `item ${i}: ${item.explain(v[i])}`;
      return 'invalid array';
    },
  };
}
