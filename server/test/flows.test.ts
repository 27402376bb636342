import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiErrorSchema,
  deployResponseSchema,
  flowsResponseSchema,
  versionDiffResponseSchema,
  versionResponseSchema,
  versionsResponseSchema,
} from '@gridflow/runtime/contract';
import { adminClient, client, startTestServer, userClient, type Client, type TestServer } from './helpers.js';
import { tickFlow } from './test-nodes.js';

let t: TestServer;
let admin: Client;
const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-flows-'));
beforeAll(async () => {
  t = await startTestServer({}, { dataDir });
  admin = await adminClient(t.url);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const currentRev = async () => flowsResponseSchema.parse((await admin.request('GET', '/api/flows')).body).rev;

describe('deploy', () => {
  it('deploys, runs the flows and answers with rev and version', async () => {
    const before = await currentRev();
    const res = await admin.request('POST', '/api/deploy', { flows: tickFlow('one'), rev: before, type: 'full' });
    expect(res.status).toBe(200);
    const body = deployResponseSchema.parse(res.body);
    expect(body.version).toBe(1);
    expect(body.rev).not.toBe(before);
    expect(body.result.started).toEqual(expect.arrayContaining(['t1', 'p1']));
    const flows = flowsResponseSchema.parse((await admin.request('GET', '/api/flows')).body);
    expect(flows.rev).toBe(body.rev);
    expect(flows.flows.map((n) => n.id)).toEqual(['tab1', 't1', 'p1']);
    // The runtime runs it: inject reaches the probe.
    const seen: unknown[] = [];
    const off = t.server.runtime.events.on('debug', (d) => seen.push(d.msg));
    expect((await admin.request('POST', '/api/inject/t1')).status).toBe(200);
    await t.server.runtime.idle();
    off();
    expect(seen).toEqual(['one']);
  });

  it('refuses a stale rev with 409 and keeps the flows', async () => {
    const rev = await currentRev();
    const ok = await admin.request('POST', '/api/deploy', { flows: tickFlow('two'), rev, type: 'nodes' });
    expect(ok.status).toBe(200);
    const stale = await admin.request('POST', '/api/deploy', { flows: tickFlow('three'), rev, type: 'full' });
    expect(stale.status).toBe(409);
    const err = apiErrorSchema.parse(stale.body).error;
    expect(err.code).toBe('CONFLICT');
    expect(err.details).toEqual({ rev: deployResponseSchema.parse(ok.body).rev });
    const flows = flowsResponseSchema.parse((await admin.request('GET', '/api/flows')).body);
    expect(flows.flows.find((n) => n.id === 't1')?.['payload']).toBe('two');
  });

  it('refuses an invalid flow with 400 naming node and property; the old flows keep running', async () => {
    const flows = [...tickFlow('four'), { id: 'c1', type: 'counter', z: 'tab1', count: 0, wires: [] }];
    const res = await admin.request('POST', '/api/deploy', { flows, type: 'full' });
    expect(res.status).toBe(400);
    const err = apiErrorSchema.parse(res.body).error;
    expect(err.code).toBe('FLOW_INVALID');
    expect(err.problems).toEqual([expect.objectContaining({ nodeId: 'c1', type: 'counter', property: 'count' })]);
    expect(err.message).toContain('c1');
    const seen: unknown[] = [];
    const off = t.server.runtime.events.on('debug', (d) => seen.push(d.msg));
    t.server.runtime.receive('t1', {});
    await t.server.runtime.idle();
    off();
    expect(seen).toEqual(['two']);
  });

  it('reports an unknown node type as a problem of that node', async () => {
    const res = await admin.request('POST', '/api/deploy', { flows: [{ id: 'x1', type: 'no-such-type', wires: [] }] });
    expect(res.status).toBe(400);
    expect(apiErrorSchema.parse(res.body).error.problems?.[0]).toMatchObject({ nodeId: 'x1', type: 'no-such-type' });
  });

  it('validates the request body with field names', async () => {
    const res = await admin.request('POST', '/api/deploy', { flows: [{ id: '', type: 'tick' }], type: 'sometimes' });
    expect(res.status).toBe(400);
    const err = apiErrorSchema.parse(res.body).error;
    expect(err.code).toBe('VALIDATION');
    const paths = err.fields?.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['flows.0.id', 'type']));
  });

  it('refuses duplicate node ids with 400', async () => {
    const res = await admin.request('POST', '/api/deploy', { flows: [...tickFlow(), { id: 't1', type: 'probe', wires: [] }] });
    expect(res.status).toBe(400);
    expect(apiErrorSchema.parse(res.body).error.message).toContain('t1');
  });

  it('inject to a node that is not running is a 404', async () => {
    expect((await admin.request('POST', '/api/inject/ghost')).status).toBe(404);
  });
});

describe('versions', () => {
  it('lists versions newest first with user, time, type and summary', async () => {
    const res = await admin.request('GET', '/api/versions');
    expect(res.status).toBe(200);
    const { versions } = versionsResponseSchema.parse(res.body);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ user: 'admin', type: 'full', changes: { added: 3, removed: 0, changed: 0 } });
    expect(versions[1]?.summary).toContain('3 added');
    expect(versions[0]).toMatchObject({ type: 'nodes', changes: { changed: 1 } });
    expect(Date.parse(versions[0]?.time ?? '')).not.toBeNaN();
    const paged = versionsResponseSchema.parse((await admin.request('GET', '/api/versions?limit=1&before=2')).body);
    expect(paged.versions.map((v) => v.version)).toEqual([1]);
    expect((await admin.request('GET', '/api/versions?limit=0')).status).toBe(400);
  });

  it('returns the flows of a version, and 404/400 for missing or bad numbers', async () => {
    const v1 = versionResponseSchema.parse((await admin.request('GET', '/api/versions/1')).body);
    expect(v1.flows.find((n) => n.id === 't1')?.['payload']).toBe('one');
    expect((await admin.request('GET', '/api/versions/99')).status).toBe(404);
    expect((await admin.request('GET', '/api/versions/abc')).status).toBe(400);
  });

  it('diffs a version against the current flows', async () => {
    const flows = [...tickFlow('two'), { id: 'p2', type: 'probe', z: 'tab1', wires: [] }];
    expect((await admin.request('POST', '/api/deploy', { flows, type: 'flows' })).status).toBe(200);
    const diff = versionDiffResponseSchema.parse((await admin.request('GET', '/api/versions/1/diff')).body);
    expect(diff.version).toBe(1);
    expect(diff.currentVersion).toBe(3);
    expect(diff.removed).toEqual(['p2']);
    expect(diff.changed).toEqual(['t1']);
    expect(diff.added).toEqual([]);
  });

  it('rolls back as a new version, audited, and runs the old flows', async () => {
    const viewer = await userClient(t.url, admin, 'rollback-viewer', 'viewer');
    expect((await viewer.request('POST', '/api/versions/1/rollback')).status).toBe(403);
    const res = await admin.request('POST', '/api/versions/1/rollback', {});
    expect(res.status).toBe(200);
    const body = deployResponseSchema.parse(res.body);
    expect(body.version).toBe(4);
    const { versions } = versionsResponseSchema.parse((await admin.request('GET', '/api/versions?limit=1')).body);
    expect(versions[0]).toMatchObject({ version: 4, type: 'rollback', rollbackOf: 1 });
    const v1 = versionResponseSchema.parse((await admin.request('GET', '/api/versions/1')).body);
    expect(body.rev).toBe(v1.version.rev);
    const seen: unknown[] = [];
    const off = t.server.runtime.events.on('debug', (d) => seen.push(d.msg));
    t.server.runtime.receive('t1', {});
    await t.server.runtime.idle();
    off();
    expect(seen).toEqual(['one']);
    const audit = (await admin.request('GET', '/api/audit?action=rollback')).body as { entries: { target: string; user: string }[] };
    expect(audit.entries[0]).toMatchObject({ target: '1', user: 'admin' });
    const deploys = (await admin.request('GET', '/api/audit?action=deploy')).body as { entries: unknown[] };
    expect(deploys.entries.length).toBe(3);
    expect((await admin.request('POST', '/api/versions/42/rollback', {})).status).toBe(404);
  });

  it('flows survive a restart: the server starts the latest version', async () => {
    const rev = await currentRev();
    await t.close();
    t = await startTestServer({}, { dataDir });
    admin = await adminClient(t.url);
    expect(await currentRev()).toBe(rev);
    const seen: unknown[] = [];
    const off = t.server.runtime.events.on('debug', (d) => seen.push(d.msg));
    t.server.runtime.receive('t1', {});
    await t.server.runtime.idle();
    off();
    expect(seen).toEqual(['one']);
  });
});

describe('status, health, catalog', () => {
  it('GET /api/status lists node statuses', async () => {
    t.server.runtime.receive('t1', { payload: 'st' });
    await t.server.runtime.idle();
    const res = await admin.request('GET', '/api/status');
    expect(res.body).toEqual({ statuses: [{ id: 'p1', z: 'tab1', status: { fill: 'green', shape: 'dot', text: 'st' } }] });
  });

  it('GET /api/health needs no login', async () => {
    const res = await client(t.url).request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', rev: await currentRev(), nodes: 3, nodeTypes: 5 });
    expect(typeof (res.body as { uptime: unknown }).uptime).toBe('number');
  });

  it('GET /api/nodes gives each type with JSON Schema and defaults', async () => {
    const res = await admin.request('GET', '/api/nodes');
    expect(res.status).toBe(200);
    const nodes = (res.body as { nodes: Record<string, unknown>[] }).nodes;
    const counter = nodes.find((n) => n['type'] === 'counter');
    expect(counter).toMatchObject({
      category: 'stream',
      inputs: 1,
      outputs: 1,
      isConfig: false,
      version: 1,
      defaults: { unit: 'count' },
    });
    const schema = counter?.['schema'] as { type: string; properties: Record<string, { type?: string; minimum?: number }>; required?: string[] };
    expect(schema.type).toBe('object');
    expect(schema.properties['count']).toMatchObject({ type: 'integer', minimum: 1 });
    expect(schema.required).toEqual(['count']);
    expect(nodes.find((n) => n['type'] === 'rules')).toMatchObject({ outputs: null, defaults: { rules: [] } });
    expect(nodes.find((n) => n['type'] === 'tick')).toMatchObject({ help: 'Sends its payload when injected.', defaults: { payload: 'tick' } });
    // A schema with parts JSON Schema cannot express is still listed.
    expect(nodes.find((n) => n['type'] === 'odd')?.['schema']).toBeTypeOf('object');
  });
});
