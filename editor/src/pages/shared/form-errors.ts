import type { z } from 'zod';
import { PageRequestError } from './http.js';

/** Errors of a form by dotted field path ('measurePoints.0.spec.max'); '' is the form as a whole. */
export type FieldErrors = Record<string, string>;

/** Dotted path of a zod issue, as the server also writes it. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** The first message for each field of a failed parse. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issuePath(issue.path);
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Field errors from a failed request (VALIDATION lists fields), else the message for the whole form. */
export function requestFieldErrors(err: unknown): FieldErrors {
  if (err instanceof PageRequestError && err.fields.length > 0) {
    const out: FieldErrors = {};
    for (const f of err.fields) if (!(f.path in out)) out[f.path] = f.message;
    return out;
  }
  return { '': err instanceof Error ? err.message : String(err) };
}

/** Parses form values with a contract schema: the data, or the errors by field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: zodFieldErrors(parsed.error) };
}

/**
 * Errors under a prefix, re-keyed relative to it: `within(e, 'services.0')['identifier']`; an
 * error on the prefix itself (a list's "identifiers must be distinct") becomes ''.
 */
export function within(errors: FieldErrors, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  const p = `${prefix}.`;
  for (const [k, v] of Object.entries(errors)) {
    if (k === prefix) out[''] = v;
    else if (k.startsWith(p)) out[k.slice(p.length)] = v;
  }
  return out;
}
