import express, { Router, type Request, type Response } from 'express';
import { httpEndpointsKey, type EndpointReply, type EndpointRequest, type HttpEndpoints } from '@gridflow/nodes/app';
import { parseCookies } from '../http/cookies.js';
import { bearerOf, resolvePrincipal } from '../auth/middleware.js';
import type { ServerModule } from '../server.js';
import { createRouteTable } from './route-table.js';

export interface EndpointsModuleOptions {
  /** URL prefix of flow endpoints (`http in` nodes). */
  prefix?: string;
  /** How long a request may wait for an `http response` node before a 504. */
  responseTimeoutMs?: number;
}

type Handler = (req: EndpointRequest, res: EndpointReply) => void;

function replyFor(res: Response, timeoutMs: number): EndpointReply {
  let sent = false;
  const timer = setTimeout(() => {
    if (sent) return;
    sent = true;
    res.status(504).json({ error: { code: 'TIMEOUT', message: `no http response node answered within ${timeoutMs} ms` } });
  }, timeoutMs);
  res.on('close', () => clearTimeout(timer));
  return {
    get sent() {
      return sent;
    },
    send(status, headers, body, cookies) {
      if (sent) return false;
      sent = true;
      clearTimeout(timer);
      res.status(status);
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      for (const [name, value] of Object.entries(cookies ?? {})) {
        if (value === null) res.clearCookie(name);
        else if (value && typeof value === 'object' && 'value' in value) {
          const { value: v, ...opts } = value as { value: unknown } & Record<string, unknown>;
          res.cookie(name, String(v), opts);
        } else res.cookie(name, String(value));
      }
      if (body === undefined || body === null) res.end();
      else if (Buffer.isBuffer(body)) res.send(body);
      else if (typeof body === 'object') res.json(body);
      else res.send(String(body));
      return true;
    },
  };
}

/** Serves `http in` endpoints under a prefix, each optionally protected by an API token or a login. */
export function endpointsModule(options: EndpointsModuleOptions = {}): ServerModule {
  const prefix = options.prefix ?? '/endpoints';
  const timeoutMs = options.responseTimeoutMs ?? 120_000;
  return {
    name: 'endpoints',
    setup(host) {
      const table = createRouteTable<Handler>();
      const service: HttpEndpoints = {
        prefix,
        register: (route, handler) => table.add(route, handler),
      };
      host.provide(httpEndpointsKey, service);
      const router = Router();
      router.use(express.urlencoded({ extended: true, limit: host.config.maxBodySize }));
      router.use(express.text({ type: ['text/*', 'application/xml'], limit: host.config.maxBodySize }));
      router.use(express.raw({ type: 'application/octet-stream', limit: host.config.maxBodySize }));
      router.use(async (req: Request, res: Response) => {
        const found = table.find(req.method.toLowerCase(), req.path);
        if (!found) {
          res.status(404).json({ error: { code: 'NOT_FOUND', message: `no flow serves ${req.method} ${prefix}${req.path}` } });
          return;
        }
        const { route, handler } = found.entry;
        let user: EndpointRequest['user'];
        if (route.auth !== 'none') {
          const headers = route.auth === 'apikey' ? { authorization: req.headers.authorization } : req.headers;
          const principal = bearerOf(req.headers.authorization) || route.auth === 'login' ? await resolvePrincipal(host.auth, headers) : undefined;
          if (!principal) {
            res.status(401).json({
              error: { code: 'UNAUTHORIZED', message: route.auth === 'apikey' ? 'this endpoint needs an API token: Authorization: Bearer <token>' : 'this endpoint needs a login or an API token' },
            });
            return;
          }
          user = { username: principal.username, role: principal.role };
        }
        const request: EndpointRequest = {
          method: req.method,
          url: req.originalUrl,
          path: req.path,
          params: found.params,
          query: req.query as Record<string, unknown>,
          headers: req.headers,
          cookies: Object.fromEntries(parseCookies(req.headers.cookie)),
          body: req.body as unknown,
          ip: req.ip ?? '',
          ...(user ? { user } : {}),
        };
        handler(request, replyFor(res, timeoutMs));
      });
      host.app.use(prefix, router);
      host.logger.info(`flow endpoints are served under ${prefix}`);
    },
  };
}
