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
 */
export interface TypedValue {
  readonly type: string;
  readonly value: string;
  /** Evaluates synchronously (JSONata included, via its sync path, as Node-RED 4 nodes that need sync do). */
  get(msg: Msg): unknown;
  /** Evaluates with callbacks for async context stores and JSONata. */
  getAsync(msg: Msg): Promise<unknown>;
}

export function compileTypedValue(ctx: NodeContext, value: unknown, type: string | undefined): TypedValue {
  const t = type ?? 'str';
  const v = value === undefined || value === null ? '' : String(value);
  const shim = nodeShim(ctx);
  let jsonata: JsonataExpression | undefined;
  if (t === 'jsonata') {
    try {
      jsonata = nrUtil.prepareJSONataExpression(v, shim);
    } catch (err) {
      throw new Error(`invalid JSONata expression "${v}": ${(err as Error).message}`);
    }
  }
  if (t === 'json') {
    try {
      JSON.parse(v);
    } catch (err) {
      throw new Error(`invalid JSON "${v}": ${(err as Error).message}`);
    }
  }
  return {
    type: t,
    value: v,
    get(msg) {
      if (jsonata) return nrUtil.evaluateJSONataExpression(jsonata, msg);
      return nrUtil.evaluateNodeProperty(v, t, shim, msg);
    },
    getAsync(msg) {
      return new Promise((resolve, reject) => {
        const cb = (err: Error | null, result?: unknown) => (err ? reject(err) : resolve(result));
        if (jsonata) nrUtil.evaluateJSONataExpression(jsonata, msg, cb);
        else nrUtil.evaluateNodeProperty(v, t, shim, msg, cb);
      });
    },
  };
}

/** Node-RED stores most numbers as strings ("5", ""); this accepts both and a default for blanks. */
export const numberish = (fallback?: number) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? fallback : typeof v === 'string' ? Number(v) : v), z.number());

/** Booleans that Node-RED sometimes stores as "true"/"false". */
export const boolish = (fallback = false) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? fallback : v === 'true' ? true : v === 'false' ? false : v), z.boolean());
