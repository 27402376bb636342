import {
  apiErrorSchema,
  deployResponseSchema,
  endpointPath,
  flowsResponseSchema,
  meResponseSchema,
  nodesResponseSchema,
  statusResponseSchema,
  versionDiffResponseSchema,
  versionResponseSchema,
  versionsResponseSchema,
  type DeployRequest,
  type NodeProblemInfo,
} from '@gridflow/runtime/contract';
import type { z } from 'zod';

/** A failed API call, with the server's error code and, for an invalid flow, its problems by node. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: NodeProblemInfo[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

async function errorFrom(res: Response, what: string): Promise<ApiRequestError> {
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return new ApiRequestError(`${what}: HTTP ${res.status}`, res.status, 'HTTP');
  const { code, message, problems, details } = parsed.data.error;
  // Problems are in `problems`; older servers put them under `details.problems`.
  const fromDetails = (details as { problems?: NodeProblemInfo[] } | undefined)?.problems;
  return new ApiRequestError(message, res.status, code, problems ?? fromDetails ?? []);
}

async function call<S extends z.ZodType>(
  what: string,
  path: string,
  schema: S | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<z.infer<S>> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw await errorFrom(res, what);
  if (!schema || res.status === 204) return undefined as z.infer<S>;
  const body: unknown = await res.json();
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiRequestError(`${what}: unexpected response: ${parsed.error.message}`, res.status, 'RESPONSE');
  return parsed.data;
}

export const api = {
  login: (username: string, password: string) =>
    call('log in', endpointPath('login'), meResponseSchema, { method: 'POST', body: { username, password } }),
  logout: () => call('log out', endpointPath('logout'), undefined, { method: 'POST' }),
  me: () => call('who am I', endpointPath('me'), meResponseSchema),
  flows: () => call('load flows', endpointPath('getFlows'), flowsResponseSchema),
  deploy: (req: DeployRequest) => call('deploy', endpointPath('deploy'), deployResponseSchema, { method: 'POST', body: req }),
  nodes: () => call('load node types', endpointPath('nodes'), nodesResponseSchema),
  status: () => call('load node status', endpointPath('status'), statusResponseSchema),
  inject: (id: string) => call('inject', endpointPath('inject', { id }), undefined, { method: 'POST', body: {} }),
  versions: () => call('load versions', `${endpointPath('listVersions')}?limit=100`, versionsResponseSchema),
  version: (n: number) => call(`load version ${n}`, endpointPath('getVersion', { n }), versionResponseSchema),
  versionDiff: (n: number) => call(`diff version ${n}`, endpointPath('diffVersion', { n }), versionDiffResponseSchema),
  rollback: (n: number, rev?: string) =>
    call(`roll back to version ${n}`, endpointPath('rollback', { n }), deployResponseSchema, {
      method: 'POST',
      body: rev !== undefined ? { rev } : {},
    }),
};
