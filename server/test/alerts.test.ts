import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createRegistry, type FlowNode } from '@gridflow/runtime';
import {
  alertEventSchema,
  alertsResponseSchema,
  type AlertRecord,
  type AlertsResponse,
  type ServerToClientEvents,
} from '@gridflow/runtime/contract';
import { streamNodes } from '@gridflow/nodes/stream';
import { alertsModule } from '../src/alerts/index.js';
import { adminClient, startTestServer, userClient, waitFor, type Client, type TestServer } from './helpers.js';
import { testNodes } from './test-nodes.js';

const registry = () => createRegistry([...testNodes, ...streamNodes]);

/** A tab with one threshold alert node (> 10, clears below 9) and a tick node beside it. */
const flows = (overrides: { template?: string; tick?: string } = {}): FlowNode[] => [
  { id: 't1', type: 'tab', label: 'Pumps' },
  {
    id: 'alarm',
    type: 'threshold alert',
    z: 't1',
    op: '>',
    threshold: 10,
    hysteresis: 1,
    severity: 'major',
    template: overrides.template ?? '{{key}} at {{value}} ({{state}})',
    wires: [[]],
  },
  { id: 'other', type: 'tick', z: 't1', payload: overrides.tick ?? 'a', wires: [[]] },
];

let t: TestServer;
let admin: Client;
let editor: Client;
let viewer: Client;
let socket: Socket<ServerToClientEvents>;
const events: AlertRecord[][] = [];

const send = async (msg: Record<string, unknown>) => {
  const res = await admin.request('POST', '/api/inject/alarm', { msg });
  expect(res.status).toBe(200);
  await t.server.runtime.idle();
};
const list = async (query = ''): Promise<AlertsResponse> => {
  const res = await viewer.request('GET', `/api/alerts${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return alertsResponseSchema.parse(res.body);
};
const deploy = async (doc: FlowNode[], type: 'full' | 'nodes' = 'full') => {
  const res = await admin.request('POST', '/api/deploy', { flows: doc, type });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

beforeAll(async () => {
  t = await startTestServer({}, { registry: registry(), modules: [alertsModule({ eventIntervalMs: 20 })] });
  admin = await adminClient(t.url);
  editor = await userClient(t.url, admin, 'ed', 'editor');
  viewer = await userClient(t.url, admin, 'vi', 'viewer');
  await deploy(flows());
  socket = connect(t.url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: editor.cookie ?? '' },
  });
  socket.on('alert', (e) => events.push(alertEventSchema.parse(e).alerts));
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
});
afterAll(async () => {
  socket?.close();
  await t?.close();
});

describe('alerts module', () => {
  it('stores a raise with its flow, sends it live, and clears it past the hysteresis', async () => {
    await send({ topic: 'pump-1', payload: 15 });
    let body = await list();
    expect(body.alerts).toHaveLength(1);
    const raised = body.alerts[0] as AlertRecord;
    expect(raised).toMatchObject({
      source: 'alarm',
      flowId: 't1',
      key: 'pump-1',
      severity: 'major',
      state: 'raised',
      value: 15,
      message: 'pump-1 at 15 (raised)',
      acknowledged: false,
    });
    expect(body.counts).toEqual({ raised: 1, unacknowledged: 1 });
    await waitFor(
      () => events.flat().some((a) => a.id === raised.id && a.state === 'raised'),
      3000,
      'the raise over socket.io',
    );

    await send({ topic: 'pump-1', payload: 9.5 }); // inside the hysteresis band: still raised
    expect((await list('?state=raised')).alerts.map((a) => a.id)).toEqual([raised.id]);
    await send({ topic: 'pump-1', payload: 8 });
    body = await list();
    expect(body.alerts[0]).toMatchObject({
      id: raised.id,
      state: 'cleared',
      clearValue: 8,
      clearMessage: 'pump-1 at 8 (cleared)',
      value: 15,
    });
    expect(body.counts).toEqual({ raised: 0, unacknowledged: 1 });
    await waitFor(
      () => events.flat().some((a) => a.id === raised.id && a.state === 'cleared'),
      3000,
      'the clear over socket.io',
    );
  });

  it('never raises from back-filled or resumed data', async () => {
    const before = (await list()).alerts.length;
    await send({ topic: 'pump-2', payload: 99, backfill: true });
    await send({ topic: 'pump-3', payload: 99, resume: true });
    expect((await list()).alerts.length).toBe(before);
    // The same value live does raise: the filter is the flag, not the value.
    await send({ topic: 'pump-2', payload: 99 });
    const pump2 = (await list('?search=pump-2')).alerts;
    expect(pump2.map((a) => [a.key, a.state])).toEqual([['pump-2', 'raised']]);
    // A back-filled low value does not clear it either.
    await send({ topic: 'pump-2', payload: 0, backfill: true });
    expect((await list('?search=pump-2')).alerts[0]?.state).toBe('raised');
  });

  it('acknowledges for editors only, once, with an audit entry', async () => {
    const target = (await list('?search=pump-2')).alerts[0] as AlertRecord;
    expect((await viewer.request('POST', `/api/alerts/${target.id}/ack`)).status).toBe(403);
    const first = await editor.request('POST', `/api/alerts/${target.id}/ack`);
    expect(first.status).toBe(200);
    expect((first.body as { alert: AlertRecord }).alert).toMatchObject({
      id: target.id,
      acknowledged: true,
      ackedBy: 'ed',
      state: 'raised',
    });
    const second = await admin.request('POST', `/api/alerts/${target.id}/ack`);
    expect((second.body as { alert: AlertRecord }).alert.ackedBy).toBe('ed');
    expect((second.body as { alert: AlertRecord }).alert.ackedAt).toBe(
      (first.body as { alert: AlertRecord }).alert.ackedAt,
    );
    await waitFor(
      () => events.flat().some((a) => a.id === target.id && a.acknowledged),
      3000,
      'the acknowledgement over socket.io',
    );

    const missing = await editor.request('POST', '/api/alerts/no-such-alert/ack');
    expect(missing.status).toBe(404);
    expect((missing.body as { error: { code: string; message: string } }).error.message).toContain('no-such-alert');
    const audit = await admin.request('GET', '/api/audit?action=alert-ack');
    expect((audit.body as { entries: { user: string; target: string }[] }).entries).toEqual([
      expect.objectContaining({ user: 'ed', target: target.id }),
    ]);
  });

  it('filters the list and rejects bad queries with the field named', async () => {
    expect((await list('?acknowledged=true')).alerts.map((a) => a.key)).toEqual(['pump-2']);
    expect((await list('?acknowledged=false')).alerts.map((a) => a.key)).toEqual(['pump-1']);
    expect((await list('?severity=info,warning')).alerts).toEqual([]);
    expect((await list('?severity=major&state=cleared')).alerts.map((a) => a.key)).toEqual(['pump-1']);
    expect((await list('?source=alarm&limit=1')).alerts.map((a) => a.key)).toEqual(['pump-2']);
    const newest = (await list('?limit=1')).alerts[0] as AlertRecord;
    expect((await list(`?before=${newest.id}`)).alerts.map((a) => a.key)).toEqual(['pump-1']);

    const bad = await viewer.request('GET', '/api/alerts?severity=loud');
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe('severity');
    const unknown = await viewer.request('GET', '/api/alerts?before=nope');
    expect(unknown.status).toBe(400);
    expect((await fetch(`${t.url}/api/alerts`)).status).toBe(401);
  });

  it('keeps alerts over a deploy that leaves their node running, and clears them when it restarts', async () => {
    await deploy(flows({ tick: 'b' }), 'nodes');
    expect((await list('?state=raised')).alerts.map((a) => a.key)).toEqual(['pump-2']);
    await send({ topic: 'pump-2', payload: 1 }); // the node still knows its alert and clears it
    expect((await list('?state=raised')).alerts).toEqual([]);

    await send({ topic: 'pump-4', payload: 50 });
    const raised = (await list('?state=raised')).alerts[0] as AlertRecord;
    await deploy(flows({ template: '{{key}}: {{value}}' }), 'nodes');
    const after = (await list('?search=pump-4')).alerts[0] as AlertRecord;
    expect(after).toMatchObject({ id: raised.id, state: 'cleared' });
    expect(after.clearMessage).toContain('deploy restarted or removed');
    // The restarted node raises afresh, with its new template.
    await send({ topic: 'pump-4', payload: 50 });
    expect((await list('?state=raised')).alerts.map((a) => a.message)).toEqual(['pump-4: 50']);
  });
});

describe('alerts over a restart', () => {
  it('clears alerts the previous process raised, since their node starts afresh', async () => {
    const first = await startTestServer({}, { registry: registry(), modules: [alertsModule()] });
    const dataDir = first.dataDir;
    try {
      const a = await adminClient(first.url);
      await a.request('POST', '/api/deploy', { flows: flows() });
      await a.request('POST', '/api/inject/alarm', { msg: { topic: 'p', payload: 20 } });
      await first.server.runtime.idle();
      expect(((await a.request('GET', '/api/alerts?state=raised')).body as AlertsResponse).alerts).toHaveLength(1);
      await first.server.close();

      const second = await startTestServer({}, { registry: registry(), modules: [alertsModule()], dataDir });
      try {
        const b = await adminClient(second.url);
        const body = (await b.request('GET', '/api/alerts')).body as AlertsResponse;
        expect(body.alerts).toHaveLength(1);
        expect(body.alerts[0]).toMatchObject({ state: 'cleared', key: 'p' });
        expect(body.alerts[0]?.clearMessage).toContain('server restarted');
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
