import { z } from 'zod';
import { apiRoutes, type Endpoint } from '@gridflow/runtime/contract';
import type { ServerModule } from '../server.js';
import { serverVersion } from '../version.js';
import { docsRoutes } from './docs-page.js';
import { mountedRoutes } from './mounted-routes.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

export interface OpenApiModuleOptions {
  /** The route table to document; the contract's `apiRoutes` by default. */
  routes?: Readonly<Record<string, Endpoint>>;
  /**
   * Document only the routes this server mounts (true, the default): a module that is off (QuestDB,
   * devices) leaves its routes out, so the page never offers a call that can only answer 404.
   */
  onlyMounted?: boolean;
}

/** This module's own route, documented with the others. */
export const openApiRoutes = {
  openApiDocument: {
    method: 'GET',
    path: '/api/openapi.json',
    auth: 'public',
    response: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, Endpoint>;

/** The entries of the table whose method and path the app serves. */
export function servedRoutes(
  routes: Readonly<Record<string, Endpoint>>,
  app: { router: unknown },
): Record<string, Endpoint> {
  const mounted = new Set(mountedRoutes(app).map((r) => `${r.method} ${r.path}`));
  return Object.fromEntries(
    Object.entries(routes).filter(([, r]) => mounted.has(`${r.method} ${r.path}`) || mounted.has(`ALL ${r.path}`)),
  );
}

/**
 * Serves the OpenAPI 3.1 document of the REST API at /api/openapi.json and the interactive page
 * at /api/docs. Both are public: the document says what the API is, and every call still needs
 * its role.
 */
export function openApiModule(options: OpenApiModuleOptions = {}): ServerModule {
  return {
    name: 'openapi',
    setup(host) {
      const table = { ...(options.routes ?? apiRoutes), ...openApiRoutes };
      // Built on first request, when every module has mounted its routes; converting every schema
      // takes a few hundred milliseconds, so it is done once.
      let document: OpenApiDocument | undefined;
      host.api.get('/openapi.json', (_req, res) => {
        document ??= buildOpenApiDocument(options.onlyMounted === false ? table : servedRoutes(table, host.app), {
          version: serverVersion,
        });
        res.setHeader('Cache-Control', 'no-cache');
        res.json(document);
      });
      host.api.use(docsRoutes());
    },
  };
}
