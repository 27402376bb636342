import type { z } from 'zod';
import type { FieldIssue } from '@gridflow/runtime/contract';
import { ApiFailure } from '../errors.js';

/** Turns zod issues into field issues with dotted paths (`flows.3.id`). */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [prefix, ...issue.path.map(String), ...(keys.length === 1 ? keys : [])].filter(Boolean).join('.');
    return { path: path || '(body)', message: issue.message };
  });
}

/** Parses with the schema or throws a 400 VALIDATION naming the first bad field (all of them in `fields`). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldIssues(result.error);
  const first = fields[0] as FieldIssue;
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  throw new ApiFailure('VALIDATION', `invalid ${what}: ${first.path}: ${first.message}${more}`, { fields });
}

/** A positive integer path parameter, or a 400 naming the parameter. */
export function intParam(value: unknown, name: string): number {
  const text = typeof value === 'string' ? value : '';
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw new ApiFailure('VALIDATION', `invalid ${name}: "${text}" is not a positive integer`, {
      fields: [{ path: name, message: 'must be a positive integer' }],
    });
  }
  return n;
}
