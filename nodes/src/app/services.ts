import { serviceKey } from '@gridflow/runtime';

/** The request an `http in` node puts on `msg.req` (a plain object: it travels through any node). */
export interface EndpointRequest {
  method: string;
  url: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  cookies: Record<string, string>;
  body: unknown;
  ip: string;
  /** The Gridflow user, for endpoints protected by login or API key. */
  user?: { username: string; role: string };
}

/** `msg.res`: answers the request once; later answers are ignored and reported. */
export interface EndpointReply {
  send(status: number, headers: Record<string, string>, body: unknown, cookies?: Record<string, unknown>): boolean;
  readonly sent: boolean;
}

export type EndpointAuth = 'none' | 'apikey' | 'login';

export interface EndpointRoute {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** Express-style path, e.g. `/sensors/:id`. */
  path: string;
  auth: EndpointAuth;
  /** Who registers it, for error messages (node id). */
  owner: string;
}

/** Hosted by the server: the HTTP endpoints flows serve under a configurable prefix. */
export interface HttpEndpoints {
  register(route: EndpointRoute, handler: (req: EndpointRequest, res: EndpointReply) => void): () => void;
  /** The URL prefix endpoints are served under (e.g. `/endpoints`). */
  readonly prefix: string;
}
export const httpEndpointsKey = serviceKey<HttpEndpoints>('http-endpoints');
