import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { apiRoutes } from '@gridflow/runtime/contract';
import { alertsModule } from '../src/alerts/index.js';
import { jobsModule } from '../src/jobs/jobs-module.js';
import { configSchema } from '../src/config.js';
import { defaultModules } from '../src/modules.js';
import {
  buildOpenApiDocument,
  mountedRoutes,
  openApiModule,
  openApiPath,
  servedRoutes,
  type OpenApiDocument,
} from '../src/openapi/index.js';
import type { ServerModule } from '../src/server.js';
import { startTestServer, type TestServer } from './helpers.js';

/** Every module `gridflow start` loads (with free ports and no QuestDB), plus this work's own. */
function allModules(): ServerModule[] {
  const config = configSchema.parse({ devices: { mqttPort: 0, mqttHost: '127.0.0.1' }, questdb: { enabled: false } });
  const modules = defaultModules(config);
  for (const m of [openApiModule(), alertsModule(), jobsModule()])
    if (!modules.some((x) => x.name === m.name)) modules.push(m);
  return modules;
}

let t: TestServer;
let doc: OpenApiDocument;
beforeAll(async () => {
  t = await startTestServer(
    { devices: { mqttPort: 0, mqttHost: '127.0.0.1' }, questdb: { enabled: false } },
    { modules: allModules() },
  );
  const res = await fetch(`${t.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDocument;
});
afterAll(async () => {
  await t?.close();
});

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
}
interface Operation {
  operationId: string;
  tags: string[];
  'x-gridflow-role': string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
const op = (path: string, method: string) => {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path} in the document`);
  return found as Operation;
};
const jsonSchema = (part: { content?: Record<string, { schema: Schema }> } | undefined): Schema => {
  const schema = part?.content?.['application/json']?.schema;
  if (!schema) throw new Error('no JSON schema');
  return schema;
};
/** A schema with its top-level `$ref` to a component followed. */
const resolve = (schema: Schema | undefined): Schema => {
  if (!schema?.$ref) return schema ?? {};
  const components = (doc['components'] as { schemas: Record<string, Schema> }).schemas;
  return components[schema.$ref.replace('#/components/schemas/', '')] ?? {};
};

const key = (method: string, path: string) => `${method.toUpperCase()} ${openApiPath(path).path}`;
const documented = () =>
  new Set(
    Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)),
  );

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every /api route the server really mounts', () => {
    const mounted = mountedRoutes(t.server.app).filter(
      (r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'),
    );
    // A walk that found nothing would prove nothing: the core routes must be there.
    expect(mounted.length).toBeGreaterThan(30);
    expect(mounted.map((r) => key(r.method, r.path))).toEqual(
      expect.arrayContaining([
        'GET /api/flows',
        'POST /api/alerts/{id}/ack',
        'GET /api/devices/{productKey}/{deviceKey}',
      ]),
    );
    const inDoc = documented();
    const missing = mounted.map((r) => key(r.method, r.path)).filter((k) => !inDoc.has(k));
    expect(missing).toEqual([]);
  });

  it('documents no route the server does not serve', () => {
    const mounted = new Set(mountedRoutes(t.server.app).map((r) => key(r.method, r.path)));
    expect([...documented()].filter((k) => !mounted.has(k))).toEqual([]);
  });

  it('derives each operation from the route table: role, schemas, status, parameters', () => {
    const deploy = op('/api/deploy', 'post');
    expect(deploy).toMatchObject({ operationId: 'deploy', 'x-gridflow-role': 'editor', tags: ['flows'] });
    expect(jsonSchema(deploy.requestBody)).toEqual({ $ref: '#/components/schemas/DeployRequestInput' });
    const body = resolve(jsonSchema(deploy.requestBody));
    expect(body.required).toEqual(['flows']); // `type` has a default, so a client may leave it out
    expect(resolve(body.properties?.['type']).enum).toEqual(['full', 'flows', 'nodes']);
    expect(Object.keys(resolve(jsonSchema(deploy.responses['200'])).properties ?? {})).toEqual([
      'rev',
      'version',
      'result',
    ]);

    const createUser = op('/api/users', 'post');
    expect(Object.keys(createUser.responses)).toContain('201');
    expect(createUser['x-gridflow-role']).toBe('admin');
    expect(op('/api/auth/login', 'post').security).toEqual([]);

    const params = Object.fromEntries((op('/api/alerts', 'get').parameters ?? []).map((p) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual([
      'acknowledged',
      'before',
      'limit',
      'search',
      'severity',
      'source',
      'state',
    ]);
    expect(params['limit']).toMatchObject({ in: 'query', required: false });

    const removeSub = op('/api/devices/{productKey}/{deviceKey}/sub-devices/{subProductKey}/{subDeviceKey}', 'delete');
    expect((removeSub.parameters ?? []).map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:productKey',
      'path:deviceKey',
      'path:subProductKey',
      'path:subDeviceKey',
    ]);
    expect(Object.keys(removeSub.responses)).toContain('204');
    expect(removeSub.responses['204']?.content).toBeUndefined();
  });

  it('has one operation per served route of the table, and leaves out routes of modules not loaded', async () => {
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );
    expect(ids.sort()).toEqual([...Object.keys(servedRoutes(apiRoutes, t.server.app)), 'openApiDocument'].sort());
    // QuestDB is off here: its routes are in the table but not in this server's document.
    expect(Object.keys(apiRoutes)).toContain('timeseries');
    expect(ids).not.toContain('timeseries');
    expect(ids.length).toBeGreaterThan(50);

    // Asked for the whole table, the document has every route.
    const whole = buildOpenApiDocument(apiRoutes, { version: '1' });
    expect(Object.values(whole.paths).flatMap((item) => Object.keys(item)).length).toBe(Object.keys(apiRoutes).length);
    expect(() =>
      buildOpenApiDocument({ a: apiRoutes.getFlows, b: { ...apiRoutes.getFlows } }, { version: '1' }),
    ).toThrow('route b: GET /api/flows is listed twice');
  });
});

describe('interactive API page', () => {
  it('is served with its assets from this server, naming no other host', async () => {
    const page = await fetch(`${t.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs).toEqual(expect.arrayContaining(['docs/swagger-ui.css', 'docs/swagger-ui-bundle.js', 'docs/init.js']));
    for (const ref of refs) {
      const res = await fetch(new URL(ref, `${t.url}/api/docs`));
      expect(res.status, ref).toBe(200);
      expect((await res.arrayBuffer()).byteLength, ref).toBeGreaterThan(100);
    }
    const init = await (await fetch(`${t.url}/api/docs/init.js`)).text();
    expect(init).toContain("url: 'openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only the files the page needs', async () => {
    expect((await fetch(`${t.url}/api/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/docs/..%2Fpackage.json`)).status).toBe(404);
    const slash = await fetch(`${t.url}/api/docs/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
  });
});
