import { z } from 'zod';
import type { Msg, NodeContext } from '@gridflow/runtime';
import { nodeShim, nrUtil, type JsonataExpression } from './node-red-util.js';

/** Node-RED's typed input types (the `xxxType` companion properties). */
export const typedInputTypes = [
  'msg', 'flow', 'global', 'str', 'num', 'bool', 'json', 'bin', 're', 'date', 'jsonata', 'env', 'node',
] as const;
export type TypedInputType = (typeof typedInputTypes)[number];
export const typedInputTypeSchema = z.enum(typedInputTypes);

/**
 * A compiled typed value: JSON, numbers and JSONata are parsed once at deploy time; a bad
 * JSON or JSONata value fails the deploy instead of every message.
 *
 * JSONata has no synchronous evaluation in Node-RED 4 (its JSONata is promise-based, and
 * RED.util.evaluateJSONataExpression insists on a callback), so every place where Node-RED allows
 * a JSONata typed value evaluates it asynchronously. `evaluate` serves both kinds with one call:
 * a plain value for every other type (no promise on the hot path), a Promise for JSONata.
 */
export interface TypedValue {
  readonly type: string;
  readonly value: string;
  /** True for JSONata: `evaluate` gives a Promise and `get` cannot be used. */
  readonly async: boolean;
  /** The value; for JSONata (`async`) a Promise of it. */
  evaluate(msg: Msg): unknown;
  /**
   * The value, synchronously, for callers that cannot wait. A JSONata value has none: this
   * throws, naming the expression; such callers reject JSONata at deploy with
   * `typedValueProblem(value, type, { sync: true })`.
   */
  get(msg: Msg): unknown;
  /** The value as a Promise, for every type. */
  getAsync(msg: Msg): Promise<unknown>;
}

/**
 * Why a typed value cannot be compiled, or undefined when it can (for zod refinements at deploy).
 * With `sync`, JSONata is a problem too: for a property that is read synchronously.
 */
export function typedValueProblem(value: unknown, type: string | undefined, options: { sync?: boolean } = {}): string | undefined {
  const v = value === undefined || value === null ? '' : String(value);
  if (options.sync && type === 'jsonata') return `a JSONata expression cannot be used here ("${v}"): this property is read synchronously`;
  try {
    if (type === 'jsonata') nrUtil.prepareJSONataExpression(v, null);
    else if (type === 'json') JSON.parse(v);
    else if (type === 'bin') {
      const data: unknown = JSON.parse(v);
      if (!Array.isArray(data) && typeof data !== 'string') return `invalid buffer "${v}": not a JSON array or string`;
    } else if (type === 're') new RegExp(v);
    else return undefined;
  } catch (err) {
    const what = type === 'jsonata' ? 'JSONata expression' : type === 're' ? 'regular expression' : 'JSON';
    return `invalid ${what} "${v}": ${(err as Error).message}`;
  }
  return undefined;
}

export function compileTypedValue(ctx: NodeContext, value: unknown, type: string | undefined): TypedValue {
  const t = type ?? 'str';
  const v = value === undefined || value === null ? '' : String(value);
  const problem = typedValueProblem(v, t);
  if (problem) throw new Error(problem);
  const shim = nodeShim(ctx);
  const jsonata: JsonataExpression | undefined = t === 'jsonata' ? nrUtil.prepareJSONataExpression(v, shim) : undefined;
  // Constant types are evaluated once; the rest go through Node-RED's own evaluateNodeProperty.
  let get: (msg: Msg) => unknown;
  if (t === 'str') get = () => v;
  else if (t === 'num') {
    const n = Number(v);
    get = () => n;
  } else if (t === 'bool') {
    const b = /^true$/i.test(v);
    get = () => b;
  } else if (t === 'json') get = () => JSON.parse(v) as unknown;
  else if (t === 'msg') get = (msg) => nrUtil.getMessageProperty(msg, v);
  else if (jsonata) {
    get = () => {
      throw new Error(`node ${ctx.id}: JSONata expression "${v}" has no synchronous value; use evaluate() or getAsync()`);
    };
  } else get = (msg) => nrUtil.evaluateNodeProperty(v, t, shim, msg);
  const getAsync = (msg: Msg): Promise<unknown> => {
    if (!jsonata) {
      try {
        return Promise.resolve(get(msg));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((resolve, reject) => {
      nrUtil.evaluateJSONataExpression(jsonata, msg, (err, result) => (err ? reject(err) : resolve(result)));
    });
  };
  return {
    type: t,
    value: v,
    async: jsonata !== undefined,
    evaluate: jsonata ? getAsync : get,
    get,
    getAsync,
  };
}

/**
 * One schema per fallback, shared by every property that uses it: zod schemas are immutable (each
 * method returns a new schema), and the ~300 properties built from these helpers share a handful
 * of fallbacks, where a schema each cost every process that imports the nodes ~1 MB of heap
 * (issue 6: the edge agent's idle memory).
 */
function perFallback<F, S>(make: (fallback: F) => S): (fallback: F) => S {
  const made = new Map<F, S>();
  return (fallback) => {
    let schema = made.get(fallback);
    if (schema === undefined) made.set(fallback, (schema = make(fallback)));
    return schema;
  };
}

const numberishOf = perFallback((fallback: number | undefined) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? fallback : typeof v === 'string' ? Number(v) : v), z.number()),
);
const boolishOf = perFallback((fallback: boolean) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? fallback : v === 'true' ? true : v === 'false' ? false : v), z.boolean()),
);
const stringishOf = perFallback((fallback: string) =>
  z.preprocess((v) => (v === undefined || v === null ? fallback : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()),
);

/** Node-RED stores most numbers as strings ("5", ""); this accepts both and a default for blanks. */
export const numberish = (fallback?: number) => numberishOf(fallback);

/** Booleans that Node-RED sometimes stores as "true"/"false". */
export const boolish = (fallback = false) => boolishOf(fallback);

/** Strings that hand-written or older flows sometimes store as numbers or booleans; blanks take the fallback. */
export const stringish = (fallback = '') => stringishOf(fallback);
