import type { z } from 'zod';
import {
  apiRoutes,
  SESSION_COOKIE,
  type ApiRouteName,
  type Endpoint,
  type MeResponse,
} from '@gridflow/runtime/contract';
import { GridflowApiError, GridflowContractError } from './errors.js';
import { cookieFrom, fillPath, queryString } from './request-parts.js';
import type { GridflowApi, RouteArgs, RouteResult } from './route-types.js';

export interface GridflowClientOptions {
  /** The server, e.g. `http://localhost:1880` (a path prefix is kept: `https://host/gridflow`). */
  baseUrl: string;
  /** An API token (POST /api/tokens), sent as `Authorization: Bearer`. */
  token?: string;
  /** Parse every answer with the contract's schema and throw GridflowContractError when it does not match. */
  validateResponses?: boolean;
  /** Another fetch (a proxy agent, a test double); the global fetch by default. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** The arguments of any route, for the untyped core; the typed functions narrow them. */
interface AnyRouteArgs {
  params?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface GridflowClient {
  /** One typed function per REST route, named as in the contract: `api.getFlows()`, `api.listAlerts({ query })`. */
  readonly api: GridflowApi;
  /** Calls a route by name; the same as `api[name](args)`. */
  call<N extends ApiRouteName>(
    name: N,
    ...args: object extends RouteArgs<N> ? [RouteArgs<N>?] : [RouteArgs<N>]
  ): Promise<RouteResult<N>>;
  /**
   * Logs in. In Node the session cookie is kept by this client and sent with later calls; in a
   * browser the browser keeps it (calls are sent with `credentials: 'include'`).
   */
  login(username: string, password: string): Promise<MeResponse>;
  /** Ends the session. */
  logout(): Promise<void>;
  /** Authenticates later calls with an API token instead of a session; undefined to stop sending it. */
  useToken(token: string | undefined): void;
  /** True while this client holds a session cookie (Node) or a token. */
  readonly authenticated: boolean;
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if (!(res.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A body that claims JSON but is not: report it as text in the error.
    return text;
  }
}

function setCookies(headers: Headers): string[] {
  const h = headers as Headers & { getSetCookie?: () => string[] };
  if (typeof h.getSetCookie === 'function') return h.getSetCookie();
  const one = headers.get('set-cookie');
  return one ? [one] : [];
}

/** A client for one Gridflow server. Every function is derived from the contract's route table. */
export function createGridflowClient(options: GridflowClientOptions): GridflowClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const routes: Readonly<Record<string, Endpoint>> = apiRoutes;
  let token = options.token;
  let session: string | undefined;

  async function request(name: string, args: AnyRouteArgs = {}): Promise<unknown> {
    const route = routes[name];
    if (!route) throw new Error(`no route "${name}" in the API contract`);
    const url = base + fillPath(name, route.path, args.params) + queryString(args.query);
    const headers: Record<string, string> = { accept: route.file ?? 'application/json', ...options.headers };
    if (token) headers['authorization'] = `Bearer ${token}`;
    else if (session) headers['cookie'] = `${SESSION_COOKIE}=${session}`;
    const hasBody = route.body !== undefined && args.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    const res = await doFetch(url, {
      method: route.method,
      headers,
      credentials: 'include',
      ...(hasBody ? { body: JSON.stringify(args.body) } : {}),
      ...(args.signal ? { signal: args.signal } : {}),
    });
    const cookie = cookieFrom(setCookies(res.headers), SESSION_COOKIE);
    if (cookie) session = cookie.cleared ? undefined : cookie.value;

    if (!res.ok) throw new GridflowApiError(name, res.status, await bodyOf(res));
    if (route.file) return res.arrayBuffer();
    const body = await bodyOf(res);
    if (!route.response || res.status === 204) return undefined;
    if (!options.validateResponses) return body;
    const parsed = route.response.safeParse(body);
    if (!parsed.success) throw new GridflowContractError(name, issuesOf(parsed.error));
    return parsed.data;
  }

  const api: Record<string, (args?: AnyRouteArgs) => Promise<unknown>> = {};
  for (const name of Object.keys(routes)) api[name] = (args) => request(name, args);

  const client: GridflowClient = {
    // The functions are built from the same table the types come from, one per route name.
    api: api as unknown as GridflowApi,
    call: ((name: string, args?: AnyRouteArgs) => request(name, args)) as GridflowClient['call'],
    login: async (username, password) => (await request('login', { body: { username, password } })) as MeResponse,
    async logout() {
      await request('logout');
      session = undefined;
    },
    useToken(next) {
      token = next;
    },
    get authenticated() {
      return token !== undefined || session !== undefined;
    },
  };
  return client;
}
