import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type FlowNode } from '@gridflow/runtime';
import { streamNodes } from '@gridflow/nodes/stream';
import { createGridflowClient, GridflowApiError, type GridflowClient } from '@gridflow/client';
import { alertsModule } from '../src/alerts/index.js';
import { jobsModule } from '../src/jobs/jobs-module.js';
import { configSchema } from '../src/config.js';
import { defaultModules } from '../src/modules.js';
import { openApiModule, type OpenApiDocument } from '../src/openapi/index.js';
import type { ServerModule } from '../src/server.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './helpers.js';
import { testNodes } from './test-nodes.js';

/**
 * @gridflow/client against a real server. Every answer is checked against the contract
 * (`validateResponses`), so these calls also prove that the server answers what the contract says.
 */

const serverConfig = { devices: { mqttPort: 0, mqttHost: '127.0.0.1' }, questdb: { enabled: false } } as const;

function modules(): ServerModule[] {
  const list = defaultModules(configSchema.parse(serverConfig));
  for (const m of [openApiModule(), alertsModule({ eventIntervalMs: 20 }), jobsModule()])
    if (!list.some((x) => x.name === m.name)) list.push(m);
  return list;
}

const flows: FlowNode[] = [
  { id: 'tab', type: 'tab', label: 'Client test' },
  {
    id: 'hot',
    type: 'threshold alert',
    z: 'tab',
    op: '>=',
    threshold: 80,
    severity: 'critical',
    template: '{{key}} is {{value}}',
    wires: [[]],
  },
];

let t: TestServer;
let admin: GridflowClient;
beforeAll(async () => {
  t = await startTestServer(serverConfig, {
    registry: createRegistry([...testNodes, ...streamNodes]),
    modules: modules(),
  });
  admin = createGridflowClient({ baseUrl: t.url, validateResponses: true });
});
afterAll(async () => {
  await t?.close();
});

describe('@gridflow/client against a running server', () => {
  it('logs in with a session, deploys and reads the flows back', async () => {
    expect(admin.authenticated).toBe(false);
    await expect(admin.api.getFlows()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const me = await admin.login('admin', ADMIN_PASSWORD);
    expect(me).toMatchObject({ username: 'admin', role: 'admin', auth: 'session' });
    expect(admin.authenticated).toBe(true);

    const before = await admin.api.getFlows();
    const deployed = await admin.api.deploy({ body: { flows, rev: before.rev } });
    expect(deployed.result.failed).toEqual([]);
    const after = await admin.call('getFlows');
    expect(after.rev).toBe(deployed.rev);
    expect(after.flows.map((n) => n.id)).toEqual(['tab', 'hot']);

    const versions = await admin.api.listVersions({ query: { limit: 5 } });
    expect(versions.versions[0]?.version).toBe(deployed.version);
    const version = await admin.api.getVersion({ params: { n: deployed.version } });
    expect(version.flows).toHaveLength(2);
  });

  it('authenticates with an API token and keeps its role', async () => {
    const created = await admin.api.createToken({ body: { name: 'app', role: 'viewer' } });
    const app = createGridflowClient({ baseUrl: `${t.url}/`, token: created.secret, validateResponses: true });
    expect(await app.api.me()).toMatchObject({ username: 'admin', role: 'viewer', auth: 'token' });
    expect((await app.api.getFlows()).flows).toHaveLength(2);
    const refused = await app.api.deploy({ body: { flows: [] } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GridflowApiError);
    expect(refused).toMatchObject({ status: 403, code: 'FORBIDDEN', route: 'deploy' });

    await admin.api.deleteToken({ params: { id: created.token.id } });
    await expect(app.api.me()).rejects.toMatchObject({ status: 401 });
  });

  it('reports validation errors with the fields named', async () => {
    const err = (await admin.api
      .createUser({ body: { username: 'bad name', password: 'short' } })
      .catch((e: unknown) => e)) as GridflowApiError;
    expect(err).toBeInstanceOf(GridflowApiError);
    expect(err.code).toBe('VALIDATION');
    expect(err.fields?.map((f) => f.path).sort()).toEqual(['password', 'username']);
  });

  it('manages devices', async () => {
    await admin.api.createThingModel({
      body: {
        id: 'pump',
        name: 'Pump',
        measurePoints: [
          { identifier: 'temp', name: 'Temperature', pointType: 'AI', spec: { type: 'double', unit: '°C' } },
        ],
      },
    });
    const product = await admin.api.createProduct({ body: { name: 'Pumps', modelId: 'pump' } });
    const device = await admin.api.createDevice({
      body: { productKey: product.productKey, deviceKey: 'pump-7', name: 'Pump 7' },
    });
    expect(device).toMatchObject({ deviceKey: 'pump-7', state: expect.any(String), disabled: false });
    const listed = await admin.api.listDevices({ query: { productKey: product.productKey } });
    expect(listed.devices.map((d) => d.deviceKey)).toEqual(['pump-7']);
    const updated = await admin.api.updateDevice({
      params: { productKey: product.productKey, deviceKey: 'pump-7' },
      body: { name: 'Pump seven' },
    });
    expect(updated.name).toBe('Pump seven');
    expect(await admin.api.devicePoints({ params: { productKey: product.productKey, deviceKey: 'pump-7' } })).toEqual({
      points: {},
    });
    await admin.api.deleteDevice({ params: { productKey: product.productKey, deviceKey: 'pump-7' } });
    await expect(
      admin.api.getDevice({ params: { productKey: product.productKey, deviceKey: 'pump-7' } }),
    ).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('lists and acknowledges alerts', async () => {
    await admin.api.inject({ params: { id: 'hot' }, body: { msg: { topic: 'boiler', payload: 95 } } });
    await t.server.runtime.idle();
    const raised = await admin.api.listAlerts({ query: { state: 'raised', severity: 'critical' } });
    expect(raised.alerts.map((a) => [a.key, a.message, a.flowId])).toEqual([['boiler', 'boiler is 95', 'tab']]);
    const id = raised.alerts[0]?.id as string;
    const acked = await admin.api.ackAlert({ params: { id } });
    expect(acked.alert).toMatchObject({ id, acknowledged: true, ackedBy: 'admin' });
    expect((await admin.api.listAlerts({ query: { acknowledged: false } })).alerts).toEqual([]);
  });

  it('reads job schedules and runs', async () => {
    expect(await admin.api.listJobSchedules()).toEqual({ schedules: [] });
    expect(await admin.api.listJobRuns({ query: { status: 'failed', limit: 10 } })).toEqual({ runs: [] });
    await expect(admin.api.getJobRun({ params: { id: 'nope' } })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('has a function for every operation of the served OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as OpenApiDocument;
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );
    const missing = operations.filter(
      (id) => id !== 'openApiDocument' && typeof (admin.api as unknown as Record<string, unknown>)[id] !== 'function',
    );
    expect(operations.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('logs out: the session stops working', async () => {
    await admin.logout();
    expect(admin.authenticated).toBe(false);
    await expect(admin.api.me()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });
});
