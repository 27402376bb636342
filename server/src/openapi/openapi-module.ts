import { z } from 'zod';
import { apiRoutes, type Endpoint } from '@gridflow/runtime/contract';
import type { ServerModule } from '../server.js';
import { serverVersion } from '../version.js';
import { docsRoutes } from './docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

export interface OpenApiModuleOptions {
  /** The route table to document; the contract's `apiRoutes` by default. */
  routes?: Readonly<Record<string, Endpoint>>;
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

/**
 * Serves the OpenAPI 3.1 document of the REST API at /api/openapi.json and the interactive page
 * at /api/docs. Both are public: the document says what the API is, and every call still needs
 * its role.
 */
export function openApiModule(options: OpenApiModuleOptions = {}): ServerModule {
  return {
    name: 'openapi',
    setup(host) {
      const routes = { ...(options.routes ?? apiRoutes), ...openApiRoutes };
      // Built on first request, not at start: converting every schema costs a few milliseconds.
      let document: OpenApiDocument | undefined;
      host.api.get('/openapi.json', (_req, res) => {
        document ??= buildOpenApiDocument(routes, { version: serverVersion });
        res.setHeader('Cache-Control', 'no-cache');
        res.json(document);
      });
      host.api.use(docsRoutes());
    },
  };
}
