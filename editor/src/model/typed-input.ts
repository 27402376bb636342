import type { JsonSchema } from './json-schema.js';

/** Node-RED's typed input types, in the order its editor offers them. */
export const TYPED_INPUT_TYPES = [
  'msg', 'flow', 'global', 'str', 'num', 'bool', 'json', 'bin', 're', 'date', 'jsonata', 'env', 'node',
] as const;
export type TypedInputType = (typeof TYPED_INPUT_TYPES)[number];

export const TYPED_INPUT_LABELS: Record<TypedInputType, string> = {
  msg: 'msg.', flow: 'flow.', global: 'global.', str: 'string', num: 'number', bool: 'boolean', json: 'JSON',
  bin: 'buffer', re: 'regex', date: 'timestamp', jsonata: 'JSONata', env: 'env var', node: 'node',
};

const isTypedInputType = (t: unknown): t is TypedInputType =>
  typeof t === 'string' && (TYPED_INPUT_TYPES as readonly string[]).includes(t);

/** A value property and the property that holds its type (`payload` + `payloadType`, `v` + `vt`). */
export interface TypedInputPair {
  valueKey: string;
  typeKey: string;
  /** Types offered; all of Node-RED's when the schema does not restrict them. */
  types: TypedInputType[];
}

/**
 * Finds typed inputs by property-name pairs: `x` with `xType` (Node-RED's node properties) or `x`
 * with `xt` (its rule objects: change `p`/`pt`, `to`/`tot`, switch `v`/`vt`). The companion must be
 * a string whose allowed values, if listed, are typed-input types.
 */
export function findTypedInputs(properties: Record<string, JsonSchema>): TypedInputPair[] {
  const pairs: TypedInputPair[] = [];
  for (const valueKey of Object.keys(properties)) {
    for (const typeKey of [`${valueKey}Type`, `${valueKey}t`]) {
      const companion = properties[typeKey];
      if (!companion) continue;
      const allowed = companionTypes(companion);
      if (!allowed) continue;
      pairs.push({ valueKey, typeKey, types: allowed });
      break;
    }
  }
  return pairs;
}

function companionTypes(schema: JsonSchema): TypedInputType[] | undefined {
  const options = schema.enum ?? schema.anyOf?.flatMap((o) => o.enum ?? (o.const !== undefined ? [o.const] : []));
  if (options && options.length > 0) {
    const typed = options.filter(isTypedInputType);
    // A companion listing other words (change rules' `t: set|change|delete`) is no typed input.
    return typed.length === options.length ? typed : undefined;
  }
  const t = schema.type;
  return t === 'string' || (Array.isArray(t) && t.includes('string')) ? [...TYPED_INPUT_TYPES] : undefined;
}

/** Checks a typed value the way Node-RED's editor does; returns a message when it is invalid. */
export function checkTypedValue(type: string, value: unknown): string | undefined {
  const text = value === undefined || value === null ? '' : String(value);
  switch (type) {
    case 'num':
      return text.trim() === '' || Number.isNaN(Number(text)) ? `"${text}" is not a number` : undefined;
    case 'bool':
      return text === 'true' || text === 'false' ? undefined : 'must be true or false';
    case 'json':
    case 'bin':
      return parsesAsJson(text, type);
    case 're':
      try {
        new RegExp(text);
        return undefined;
      } catch (err) {
        return `invalid regular expression: ${(err as Error).message}`;
      }
    case 'msg':
    case 'flow':
    case 'global':
      return text.trim() === '' ? 'property path must not be empty' : checkPropertyPath(text);
    case 'env':
      return text.trim() === '' ? 'environment variable name must not be empty' : undefined;
    case 'jsonata':
      return text.trim() === '' ? 'expression must not be empty' : undefined;
    default:
      return undefined;
  }
}

function parsesAsJson(text: string, type: string): string | undefined {
  if (type === 'bin' && text.trim() === '') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
}

/** A light check of a msg/flow/global path: balanced brackets and no empty segments. */
export function checkPropertyPath(path: string): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (const ch of path) {
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    if (depth < 0) return `unbalanced "]" in "${path}"`;
  }
  if (depth !== 0 || quote) return `unbalanced bracket or quote in "${path}"`;
  if (/(^\.|\.\.|\.$)/.test(path)) return `empty segment in "${path}"`;
  return undefined;
}
