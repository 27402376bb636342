import { apiErrorSchema, type Endpoint, type FieldIssue } from '@gridflow/runtime/contract';
import type { z } from 'zod';

/** A failed page request: the server's error code and message, and by field for VALIDATION. */
export class PageRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'PageRequestError';
  }
}

type ResponseOf<E extends Endpoint> = E['response'] extends z.ZodType ? z.infer<E['response']> : undefined;

export interface RequestOptions {
  /** Values of the `:name` segments of the endpoint's path. */
  params?: Record<string, string | number>;
  /** Query string; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Sends the body as this content type (a string body only), e.g. 'text/csv'. */
  contentType?: string;
  signal?: AbortSignal;
}

/** Fills the `:name` segments of a contract path. */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`path ${path}: missing parameter "${key}"`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function errorFrom(res: Response, what: string): Promise<PageRequestError> {
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return new PageRequestError(`${what}: HTTP ${res.status}`, res.status, 'HTTP');
  const { code, message, fields } = parsed.data.error;
  return new PageRequestError(message, res.status, code, fields ?? []);
}

/**
 * Calls one endpoint of the contract and checks the response against its schema, so a page
 * never works with a body the contract does not promise. `what` names the action in errors.
 */
export async function request<E extends Endpoint>(what: string, endpoint: E, options: RequestOptions = {}): Promise<ResponseOf<E>> {
  const url = fillPath(endpoint.path, options.params) + queryString(options.query);
  const { body, contentType } = options;
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json';
    payload = typeof body === 'string' && contentType ? body : JSON.stringify(body);
  }
  const res = await fetch(url, {
    method: endpoint.method,
    credentials: 'same-origin',
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!res.ok) throw await errorFrom(res, what);
  const schema = endpoint.response;
  if (!schema || res.status === 204) return undefined as ResponseOf<E>;
  const json: unknown = await res.json();
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PageRequestError(`${what}: unexpected response: ${parsed.error.message}`, res.status, 'RESPONSE');
  return parsed.data as ResponseOf<E>;
}

/** A readable message for anything a request may throw. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Names a missing server module rather than a bare "no such endpoint" when a route is absent (404). */
export async function withModule<T>(module: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof PageRequestError && err.status === 404 && /no such endpoint/i.test(err.message)) {
      throw new PageRequestError(`${module} is not enabled on this server`, 404, err.code);
    }
    throw err;
  }
}
