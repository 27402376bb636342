import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, client, startTestServer, type Client, type TestServer } from './helpers.js';
import { tickFlow } from './test-nodes.js';

describe('GET /metrics', () => {
  let t: TestServer;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await adminClient(t.url);
    await admin.request('POST', '/api/deploy', { flows: tickFlow() });
  });
  afterAll(() => t.close());

  it('needs a login or token by default', async () => {
    expect((await client(t.url).request('GET', '/metrics')).status).toBe(401);
  });

  it('is Prometheus text with per-node counters labelled by node, type and flow', async () => {
    for (let i = 0; i < 3; i++) t.server.runtime.receive('t1', {});
    await t.server.runtime.idle();
    const res = await admin.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = String(res.body);
    expect(text).toContain('# TYPE gridflow_node_messages_in_total counter');
    expect(text).toContain('gridflow_node_messages_in_total{node="t1",type="tick",flow="tab1"} 3');
    expect(text).toContain('gridflow_node_messages_out_total{node="t1",type="tick",flow="tab1"} 3');
    expect(text).toContain('gridflow_node_messages_in_total{node="p1",type="probe",flow="tab1"} 3');
    expect(text).toContain('gridflow_node_errors_total{node="p1",type="probe",flow="tab1"} 0');
    expect(text).toMatch(/^gridflow_queue_depth 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^gridflow_flows_version 1$/m);
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+)$/);
    }
  });
});

describe('editor bundle', () => {
  const editorDir = mkdtempSync(join(tmpdir(), 'gridflow-editor-'));
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ editorDir, metrics: { public: true } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(editorDir, { recursive: true, force: true });
  });

  it('shows a placeholder telling how to build the editor while the bundle is missing', async () => {
    const res = await client(t.url).request('GET', '/');
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('npm run build:editor');
  });

  it('serves the bundle with an SPA fallback, but not for API paths or missing assets', async () => {
    mkdirSync(join(editorDir, 'assets'), { recursive: true });
    writeFileSync(join(editorDir, 'index.html'), '<!doctype html><title>editor</title><div id="root"></div>');
    writeFileSync(join(editorDir, 'assets', 'app.js'), 'console.log("app")');
    const c = client(t.url);
    expect(String((await c.request('GET', '/')).body)).toContain('id="root"');
    expect(String((await c.request('GET', '/flows/some/tab')).body)).not.toContain('id="root"');
    expect(String((await c.request('GET', '/editor/tab/1')).body)).toContain('id="root"');
    const asset = await c.request('GET', '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await c.request('GET', '/assets/missing.js')).status).toBe(404);
    expect((await c.request('GET', '/api/unknown')).status).toBe(404);
    // metrics.public: no login needed.
    expect((await c.request('GET', '/metrics')).status).toBe(200);
  });
});
