import * as contract from '@gridflow/runtime/contract';
import { apiErrorSchema, SESSION_COOKIE, type Endpoint } from '@gridflow/runtime/contract';
import { createSchemaCatalog, type JsonSchema, type SchemaCatalog } from './json-schema.js';

/** An OpenAPI 3.1 document as plain JSON. */
export type OpenApiDocument = { openapi: '3.1.0'; paths: Record<string, Record<string, unknown>> } & Record<
  string,
  unknown
>;

export interface OpenApiOptions {
  title?: string;
  version: string;
  description?: string;
}

const ERROR_REF = { $ref: '#/components/schemas/ApiError' };

/** `/api/versions/:n/diff` → `/api/versions/{n}/diff`, and the parameter names in order. */
export function openApiPath(expressPath: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

/** Groups operations in the interactive page by the first path segment after /api. */
const tagAliases: Record<string, string> = {
  deploy: 'flows',
  versions: 'flows',
  inject: 'runtime',
  status: 'runtime',
  nodes: 'runtime',
  health: 'system',
  audit: 'system',
  edge: 'edges',
  'thing-models': 'devices',
  products: 'devices',
};
function tagOf(path: string): string {
  const segment = path.split('/')[2] ?? 'api';
  return tagAliases[segment] ?? segment;
}

/** `listJobRuns` → "List job runs". */
function summaryOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

function operation(name: string, route: Endpoint, params: string[], schemas: SchemaCatalog): Record<string, unknown> {
  const parameters: unknown[] = params.map((p) => ({
    name: p,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    for (const prop of schemas.properties(route.query, 'input')) {
      parameters.push({ name: prop.name, in: 'query', required: prop.required, schema: prop.schema });
    }
  }
  const status = String(route.status ?? 200);
  const success = route.file
    ? { description: `${summaryOf(name)}: a file`, content: { [route.file]: {} } }
    : route.response
      ? { description: summaryOf(name), content: json(schemas.ref(route.response, 'output')) }
      : { description: `${summaryOf(name)}: no content` };
  const op: Record<string, unknown> = {
    operationId: name,
    summary: summaryOf(name),
    tags: [tagOf(route.path)],
    description:
      route.auth === 'public'
        ? 'No login needed.'
        : `Needs the **${route.auth}** role (or higher): a session cookie from login, or an API token as \`Authorization: Bearer <secret>\`.`,
    'x-gridflow-role': route.auth,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: json(schemas.ref(route.body, 'input')) } } : {}),
    responses: {
      [status]: success,
      '4XX': {
        description:
          'The request failed; `error.code` says why (VALIDATION, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, ...).',
        content: json(ERROR_REF),
      },
      '5XX': { description: 'The server failed (INTERNAL).', content: json(ERROR_REF) },
    },
    security: route.auth === 'public' ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
  };
  return op;
}

/**
 * The OpenAPI 3.1 document of a route table (`apiRoutes` of the contract): one operation per
 * route, its request and response schemas converted from zod, its role in `x-gridflow-role`.
 * Nothing is written by hand, so the document cannot drift from what the server validates.
 */
export function buildOpenApiDocument(
  routes: Readonly<Record<string, Endpoint>>,
  options: OpenApiOptions,
): OpenApiDocument {
  const schemas = createSchemaCatalog(routes, { ...contract, apiErrorSchema });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(routes)) {
    const { path, params } = openApiPath(route.path);
    const item = (paths[path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method])
      throw new Error(`route ${name}: ${route.method} ${route.path} is listed twice in the route table`);
    item[method] = operation(name, route, params, schemas);
  }
  const tags = [...new Set(Object.values(routes).map((r) => tagOf(r.path)))].sort().map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Gridflow API',
      version: options.version,
      description:
        options.description ??
        'The REST API of a Gridflow server. Log in with POST /api/auth/login (a session cookie) or send an API token ' +
          '(POST /api/tokens) as a bearer token. Every error has the body `{ error: { code, message, ... } }`.',
    },
    tags,
    paths,
    components: {
      schemas: schemas.components([paths, ERROR_REF]),
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (POST /api/tokens), sent as `Authorization: Bearer <secret>`.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The session cookie POST /api/auth/login sets.',
        },
      },
    },
  };
}
