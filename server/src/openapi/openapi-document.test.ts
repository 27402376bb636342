import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Endpoint } from '@gridflow/runtime/contract';
import { buildOpenApiDocument, openApiPath } from './openapi-document.js';

const item = z.object({ id: z.string(), size: z.number().default(1) });
const routes = {
  listThings: {
    method: 'GET',
    path: '/api/things',
    auth: 'viewer',
    query: z.object({ limit: z.coerce.number().int().default(10), q: z.string().optional() }),
    response: z.object({ things: z.array(item) }),
  },
  createThing: { method: 'POST', path: '/api/things', auth: 'editor', body: item, response: item, status: 201 },
  downloadThing: { method: 'GET', path: '/api/things/:id/file', auth: 'public', file: 'text/csv' },
} as const satisfies Record<string, Endpoint>;

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument(routes, { version: '9.9.9', title: 'Things' });
  const components = (
    doc['components'] as { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> }
  ).schemas;

  it('turns Express paths into OpenAPI paths with their parameters', () => {
    expect(openApiPath('/api/a/:x/b/:y_2')).toEqual({ path: '/api/a/{x}/b/{y_2}', params: ['x', 'y_2'] });
    expect(Object.keys(doc.paths)).toEqual(['/api/things', '/api/things/{id}/file']);
    expect(doc['info']).toMatchObject({ title: 'Things', version: '9.9.9' });
  });

  it('names unnamed schemas after their route, as a client sends them and as the server answers', () => {
    const create = doc.paths['/api/things']?.['post'] as { requestBody: unknown; responses: Record<string, unknown> };
    expect(create.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThingBodyInput' } } },
    });
    expect(Object.keys(create.responses)).toEqual(['201', '4XX', '5XX']);
    // A default makes a field optional for the client, and certain in the answer.
    expect(components['CreateThingBodyInput']?.required).toEqual(['id']);
    expect(components['CreateThingBody']?.required).toEqual(['id', 'size']);
  });

  it('spreads a query schema into parameters and documents downloads as files', () => {
    const list = doc.paths['/api/things']?.['get'] as { parameters: unknown[] };
    expect(list.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { default: 10, type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
      },
      { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    const download = doc.paths['/api/things/{id}/file']?.['get'] as {
      parameters: unknown[];
      responses: Record<string, { content?: unknown }>;
      security: unknown[];
    };
    expect(download.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(download.responses['200']?.content).toEqual({ 'text/csv': {} });
    expect(download.security).toEqual([]);
  });

  it('keeps only the components the operations reach, through other components too', () => {
    // ApiError's parts come from the contract; the query schema is spread into parameters, so not kept.
    expect(Object.keys(components).sort()).toEqual([
      'ApiError',
      'CreateThingBody',
      'CreateThingBodyInput',
      'ErrorCode',
      'FieldIssue',
      'ListThingsResponse',
      'NodeProblem',
    ]);
  });
});
