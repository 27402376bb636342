import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type EdgeProcess } from '../server/test/edges/edge-process.js';
import { screenshotter } from './support/browser.js';
import { eventually } from './support/editor-page.js';
import { startPagesEnv, type PagesEnv } from './pages-harness.js';

const snap = screenshotter('edges');

/**
 * A cloud tab receiving from edges, and a "Plant" tab meant for an edge (targeted at none yet):
 * an inject sends every 200 ms to a debug on the edge and upstream through cloud out; another
 * posts a temperature as the gateway device gwPK/gw1 (refused until the edge is bound to it).
 */
const FLOWS = [
  { id: 'cloud', type: 'tab', label: 'Cloud' },
  {
    id: 'ein',
    type: 'edge in',
    z: 'cloud',
    name: 'from edges',
    edges: [],
    channel: '',
    x: 120,
    y: 80,
    wires: [['cdbg']],
  },
  {
    id: 'cdbg',
    type: 'debug',
    z: 'cloud',
    name: 'cloud side',
    active: true,
    tosidebar: true,
    complete: 'payload',
    targetType: 'msg',
    x: 320,
    y: 80,
    wires: [],
  },
  { id: 'plant', type: 'tab', label: 'Plant', target: 'edge', edges: [], edgeGroups: [] },
  {
    id: 'tick',
    type: 'inject',
    z: 'plant',
    name: 'tick',
    props: [{ p: 'payload' }],
    payload: 'from-the-edge',
    payloadType: 'str',
    repeat: '0.2',
    once: true,
    onceDelay: 0.1,
    x: 120,
    y: 80,
    wires: [['up', 'edbg']],
  },
  { id: 'up', type: 'cloud out', z: 'plant', channel: 'plant', x: 320, y: 60, wires: [] },
  {
    id: 'gwtick',
    type: 'inject',
    z: 'plant',
    props: [{ p: 'payload' }],
    payload: '21.5',
    payloadType: 'num',
    repeat: '0.3',
    once: true,
    onceDelay: 0.1,
    x: 120,
    y: 200,
    wires: [['gwpost']],
  },
  {
    id: 'gwpost',
    type: 'device post',
    z: 'plant',
    productKey: 'gwPK',
    deviceKey: 'gw1',
    point: 'temp',
    x: 320,
    y: 200,
    wires: [],
  },
  {
    id: 'edbg',
    type: 'debug',
    z: 'plant',
    name: 'edge side',
    active: true,
    tosidebar: true,
    complete: 'payload',
    targetType: 'msg',
    x: 320,
    y: 120,
    wires: [],
  },
];

describe('edges: enroll an edge and deploy to it from the editor', () => {
  let env: PagesEnv;
  let edge: EdgeProcess | undefined;

  beforeAll(async () => {
    env = await startPagesEnv();
    const res = await env.api('/api/deploy', { method: 'POST', body: { flows: FLOWS, type: 'full' } });
    expect(res.status).toBe(200);
    env.page.on('dialog', (d) => void d.accept());
    // A gateway device to bind the edge to, and a device that is no gateway (a bad choice).
    const arrange: [string, unknown][] = [
      [
        '/api/thing-models',
        {
          id: 'Gw',
          name: 'Gateway',
          measurePoints: [{ identifier: 'temp', name: 'Temperature', pointType: 'AI', spec: { type: 'float' } }],
        },
      ],
      ['/api/thing-models', { id: 'Meter', name: 'Meter' }],
      ['/api/products', { productKey: 'gwPK', name: 'Gateways', modelId: 'Gw', nodeType: 'gateway' }],
      ['/api/products', { productKey: 'mPK', name: 'Meters', modelId: 'Meter' }],
      ['/api/devices', { productKey: 'gwPK', deviceKey: 'gw1', name: 'gw1', attributes: {} }],
      ['/api/devices', { productKey: 'mPK', deviceKey: 'm1', name: 'm1', attributes: {} }],
    ];
    for (const [path, body] of arrange) {
      const made = await env.api(path, { method: 'POST', body });
      expect(made.status, `${path} ${await made.clone().text()}`).toBe(201);
    }
  });
  afterAll(async () => {
    await edge?.kill('SIGKILL');
    await env?.close();
  });

  it('makes a single-use token with the exact commands, and the edge enrolls with them', async () => {
    const { editor, page, url } = env;
    await editor.byTestId('rail-edges').click();
    await editor.byTestId('page-edges').waitFor();
    await editor.byTestId('edge-enroll').click();
    await editor.byTestId('field-enroll-name').locator('input').fill('press-e2e');
    await editor.byTestId('field-enroll-group').locator('input').fill('plant-a');
    await editor.byTestId('enroll-create').click();
    const token = (await editor.byTestId('enroll-token').textContent()) ?? '';
    expect(token).toMatch(/^gfe_/);
    expect(await editor.byTestId('enroll-command-0').textContent()).toContain(`${url}/api/edge/package?token=${token}`);
    const start = (await editor.byTestId('enroll-command-2').textContent()) ?? '';
    expect(start).toBe(`gridflow-edge --server ${url} --token ${token} --data /var/lib/gridflow-edge`);
    await snap(page, 'enroll-token');

    // The command as shown, with a data directory of the test's own.
    const args = start.split(' ').slice(1);
    args[args.indexOf('--data') + 1] = mkdtempSync(join(tmpdir(), 'gf-e2e-edge-'));
    edge = startEdge([...args, '--heartbeat-ms', '1000']);
    await edge.waitForLine(/enrolled as "press-e2e"/);
    await editor.byTestId('enroll-done').click();
    await eventually(
      async () => expect(await editor.byTestId('edge-state-press-e2e').textContent()).toBe('online'),
      15_000,
    );
    await eventually(
      async () => expect(await editor.byTestId('edge-row-press-e2e').textContent()).toContain('0.1.0'),
      15_000,
    );
    await snap(page, 'edge-online');
  });

  it('targets the Plant tab at the edge, deploys, and the edge acknowledges the revision', async () => {
    const { editor, page } = env;
    await editor.byTestId('target-edge-plant-press-e2e').check();
    await editor.byTestId('targets-deploy').click();
    await eventually(async () =>
      expect(await editor.byTestId('targets-result').textContent()).toMatch(/Deployed revision/),
    );
    await edge?.waitForLine(/running deployment/);
    await eventually(
      async () =>
        expect(((await editor.byTestId('edge-rev-press-e2e').textContent()) ?? '').trim()).toMatch(/^[0-9a-f]{8}$/),
      15_000,
    );
    await eventually(
      async () => expect(await editor.byTestId('edge-row-press-e2e').textContent()).toMatch(/5 \/ 0/),
      15_000,
    );
    await snap(page, 'deployed');
  });

  it('shows what the edge sends upstream and its own debug output in the debug sidebar', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-flows').click();
    await editor.openSidebar('debug');
    const cloud = editor.byTestId('debug-message').filter({ hasText: 'from-the-edge' });
    await eventually(async () => {
      const ids = await cloud.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
      expect(ids).toContain('cdbg');
      expect(ids).toContain('edbg');
    }, 15_000);
    await snap(page, 'debug-from-edge');
  });

  it('binds the gateway from the page: a bad choice is refused, the bound one is shown and its posts accepted', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-edges').click();
    // Unbound, the edge's device posts are refused, and the row says why.
    await eventually(
      async () =>
        expect(await editor.byTestId('edge-posts-warning-press-e2e').textContent()).toMatch(
          /gwPK\/gw1.*not bound to a gateway device/,
        ),
      15_000,
    );
    expect(await editor.byTestId('edge-gateway-press-e2e').textContent()).toContain('no gateway');
    await editor.byTestId('edge-bind-press-e2e').click();
    const field = editor.byTestId('field-gateway-press-e2e');
    // The choice offers the registered gateway devices only.
    await eventually(async () =>
      expect(await field.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).toEqual([
        'gwPK/gw1',
      ]),
    );
    await field.locator('input').fill('mPK/m1');
    await editor.byTestId('edge-gateway-save-press-e2e').click();
    await eventually(async () =>
      expect(await editor.byTestId('error-gateway-press-e2e').textContent()).toContain(
        'device mPK/m1 is not a gateway',
      ),
    );
    await snap(page, 'gateway-refused');
    await field.locator('input').fill('gwPK/gw1');
    await editor.byTestId('edge-gateway-save-press-e2e').click();
    const link = editor.byTestId('edge-gateway-link-press-e2e');
    await eventually(async () => expect(await link.textContent()).toBe('gwPK/gw1'));
    expect(await link.getAttribute('href')).toBe('#/devices/gwPK/gw1');
    expect(await editor.byTestId('edge-gateway-form-press-e2e').count()).toBe(0);
    await eventually(
      async () => expect(await editor.byTestId('edge-posts-press-e2e').textContent()).toMatch(/^[1-9][\d,]* accepted/),
      15_000,
    );
    await snap(page, 'gateway-bound');
  });

  it('renames and revokes the edge; the revoked edge is refused', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-edges').click();
    await editor.byTestId('edge-rename-press-e2e').click();
    await editor.byTestId('edge-edit-press-e2e').fill('press-renamed');
    await editor.byTestId('edge-edit-save-press-e2e').click();
    await editor.byTestId('edge-row-press-renamed').waitFor();
    await editor.byTestId('edge-revoke-press-renamed').click();
    await eventually(async () =>
      expect(await editor.byTestId('edge-state-press-renamed').textContent()).toBe('revoked'),
    );
    await edge?.waitForLine(/refused this edge: this edge was revoked/);
    await snap(page, 'revoked');
  });
});
