import { z } from 'zod';
import type { Msg, NodeContext } from '@gridflow/runtime';
import { compileTypedValue, stringish, typedValueProblem, type TypedValue } from '../../shared/typed-value.js';
import type { CompiledQuery } from './placeholders.js';

/** One entry of a node's parameter list: a name (for `:name` queries) and a typed value (msg, flow, str, num, ...). */
export const sqlParamSchema = z
  .object({ name: stringish(), value: z.unknown().optional(), type: stringish('str') })
  .superRefine((p, issue) => {
    const problem = typedValueProblem(p.value, p.type);
    if (problem) issue.addIssue({ code: 'custom', path: ['value'], message: `parameter ${p.name || '(unnamed)'}: ${problem}` });
  });
export type SqlParam = z.infer<typeof sqlParamSchema>;

export interface CompiledParam {
  name: string;
  value: TypedValue;
}

export function compileParams(ctx: NodeContext, params: readonly SqlParam[]): CompiledParam[] {
  return params.map((p) => ({ name: p.name.trim(), value: compileTypedValue(ctx, p.value, p.type) }));
}

/**
 * The values to bind, in placeholder order. Named queries look each name up in the node's list,
 * then in `msg.params` (an object). Positional queries ($1 or ?) take the node's list in order,
 * else `msg.params` (an array). Errors name the parameter.
 */
export async function bindValues(query: CompiledQuery, params: readonly CompiledParam[], msg: Msg): Promise<unknown[]> {
  const fromMsg = msg['params'];
  if (query.names.length) {
    const byName = new Map(params.map((p) => [p.name, p.value]));
    const msgObject = fromMsg !== null && typeof fromMsg === 'object' && !Array.isArray(fromMsg) ? (fromMsg as Record<string, unknown>) : undefined;
    const values: unknown[] = [];
    for (const name of query.names) {
      const configured = byName.get(name);
      if (configured) {
        values.push(await evaluate(configured, msg, name));
      } else if (msgObject && Object.hasOwn(msgObject, name)) {
        values.push(msgObject[name]);
      } else {
        throw new Error(`parameter :${name} has no value: add it to the node's parameters or set msg.params.${name}`);
      }
    }
    return values;
  }
  if (params.length) return Promise.all(params.map((p, i) => evaluate(p.value, msg, p.name || `$${i + 1}`)));
  if (fromMsg === undefined || fromMsg === null) return [];
  if (!Array.isArray(fromMsg)) throw new Error('msg.params must be an array for a query with positional placeholders ($1 or ?)');
  return fromMsg as unknown[];
}

async function evaluate(value: TypedValue, msg: Msg, name: string): Promise<unknown> {
  try {
    return await value.getAsync(msg);
  } catch (err) {
    throw new Error(`parameter ${name} (${value.type} "${value.value}"): ${(err as Error).message}`);
  }
}
