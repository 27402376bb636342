import type { DataSpec } from '@gridflow/runtime/contract';

/** A typed value read from a form's text, or why it cannot be. */
export type ParsedValue = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Reads the text of a value input as the spec's type, so the request carries a number for an int
 * and an object for a struct. Range and enum checks stay with the server, which knows the model.
 */
export function parseValueText(spec: DataSpec, text: string): ParsedValue {
  const t = text.trim();
  switch (spec.type) {
    case 'int':
    case 'enum': {
      if (!/^[-+]?\d+$/.test(t)) return { ok: false, error: 'give a whole number' };
      return { ok: true, value: Number(t) };
    }
    case 'float':
    case 'double': {
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return { ok: false, error: 'give a number' };
      return { ok: true, value: n };
    }
    case 'bool':
      if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
      return { ok: false, error: 'give true or false' };
    case 'string':
      return { ok: true, value: text };
    case 'date':
      if (/^\d+$/.test(t)) return { ok: true, value: Number(t) };
      if (Number.isNaN(Date.parse(t))) return { ok: false, error: 'give epoch milliseconds or an ISO 8601 date' };
      return { ok: true, value: t };
    case 'array':
    case 'struct': {
      try {
        const v: unknown = JSON.parse(t);
        if (spec.type === 'array' && !Array.isArray(v)) return { ok: false, error: 'give a JSON array' };
        if (spec.type === 'struct' && (typeof v !== 'object' || v === null || Array.isArray(v))) return { ok: false, error: 'give a JSON object' };
        return { ok: true, value: v };
      } catch (err) {
        return { ok: false, error: `not JSON: ${(err as Error).message}` };
      }
    }
  }
}

/** The text a value input starts with for a spec. */
export function initialValueText(spec: DataSpec): string {
  switch (spec.type) {
    case 'bool':
      return 'false';
    case 'enum':
      return String(spec.values[0]?.value ?? 0);
    case 'array':
      return '[]';
    case 'struct':
      return '{}';
    default:
      return '';
  }
}

export interface NamedSpec {
  identifier: string;
  spec: DataSpec;
  required: boolean;
}

/**
 * Reads a set of inputs (service parameters, attribute values): the values by identifier and the
 * errors by identifier. Empty optional inputs are left out; empty required ones are errors.
 */
export function readValues(specs: readonly NamedSpec[], texts: Record<string, string>): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const { identifier, spec, required } of specs) {
    const text = texts[identifier] ?? '';
    if (text.trim() === '' && spec.type !== 'string') {
      if (required) errors[identifier] = 'required';
      continue;
    }
    if (text === '' && spec.type === 'string' && !required) continue;
    const parsed = parseValueText(spec, text);
    if (parsed.ok) values[identifier] = parsed.value;
    else errors[identifier] = parsed.error;
  }
  return { values, errors };
}
