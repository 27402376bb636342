import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import { edgeEvents, type EdgeDeployment, type EdgeInfo, type UpstreamItem } from '@gridflow/runtime/contract';
import { allNodes } from '@gridflow/nodes';
import { decryptForEdge, deriveEdgeKey } from '@gridflow/nodes/edge';
import { edgeModule } from '../../src/edges/edge-module.js';
import { adminClient, startTestServer, waitFor, type Client, type TestServer } from '../helpers.js';
import { testNodes } from '../test-nodes.js';

/**
 * The edge protocol spoken by a bare socket.io client, in process: what the server promises an
 * edge (sealed credentials, exactly-once upstream, deploy errors by node), without the agent.
 */
let t: TestServer;
let admin: Client;
let packageDir: string;
const seen: unknown[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  packageDir = mkdtempSync(join(tmpdir(), 'gf-edge-pkg-'));
  writeFileSync(join(packageDir, 'gridflow-edge-9.9.9.tgz'), 'tarball bytes');
  t = await startTestServer(
    {},
    {
      registry: createRegistry([...allNodes, ...testNodes.filter((n) => n.type === 'probe')]),
      modules: [edgeModule({ packageDir })],
    },
  );
  t.server.runtime.events.on('debug', (d) => seen.push(d.msg));
  admin = await adminClient(t.url);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

const enroll = async (name: string) => {
  const created = (await admin.request('POST', '/api/edges/enrollments', { name, group: 'plant-a' })).body as {
    token: string;
    commands: string[];
  };
  const res = await fetch(`${t.url}/api/edge/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: created.token }),
  });
  return { ...created, ...((await res.json()) as { edgeId: string; credential: string }) };
};
const open = (
  auth: { edgeId: string; credential: string },
  onDeploy?: (d: EdgeDeployment, reply: (ack: unknown) => void) => void,
) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect(`${t.url}/edge`, { auth, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    if (onDeploy) socket.on(edgeEvents.deploy, onDeploy);
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', reject);
  });
const edges = async () => ((await admin.request('GET', '/api/edges')).body as { edges: EdgeInfo[] }).edges;

describe('edge protocol', () => {
  it('offers the package with exact commands, and to an enrolling machine for its unused token', async () => {
    const info = (await admin.request('GET', '/api/edges/package/info')).body as {
      available: boolean;
      file: string;
      commands: string[];
    };
    expect(info).toMatchObject({ available: true, file: 'gridflow-edge-9.9.9.tgz' });
    expect(info.commands[1]).toBe('npm install -g ./gridflow-edge-9.9.9.tgz');
    const created = (await admin.request('POST', '/api/edges/enrollments', { name: 'pkg' })).body as {
      token: string;
      commands: string[];
    };
    expect(created.commands).toEqual([
      `curl -fL -o gridflow-edge-9.9.9.tgz '${t.url}/api/edge/package?token=${created.token}'`,
      'npm install -g ./gridflow-edge-9.9.9.tgz',
      `gridflow-edge --server ${t.url} --token ${created.token} --data /var/lib/gridflow-edge`,
    ]);
    const download = await fetch(`${t.url}/api/edge/package?token=${created.token}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('tarball bytes');
    expect((await fetch(`${t.url}/api/edge/package?token=gfe_wrong-token-wrong-token`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/edges/package`)).status).toBe(401);
  });

  it('refuses a bad credential at the handshake', async () => {
    const e = await enroll('bad-cred');
    await expect(open({ edgeId: e.edgeId, credential: 'x'.repeat(43) })).rejects.toThrow(/bad credential/);
  });

  it('seals node credentials for the edge and records the acknowledged revision', async () => {
    const e = await enroll('sealed');
    const deployments: EdgeDeployment[] = [];
    await open(e, (d, reply) => {
      deployments.push(d);
      reply({ rev: d.rev, ok: true });
    });
    const flows = [
      { id: 'cloud', type: 'tab', label: 'Cloud' },
      { id: 'plant', type: 'tab', label: 'Plant', target: 'edge', edgeGroups: ['plant-a'] },
      { id: 'i1', type: 'inject', z: 'plant', credentials: { password: 's3cret-value' }, wires: [] },
    ];
    expect((await admin.request('POST', '/api/deploy', { flows, type: 'nodes' })).status).toBe(200);
    await waitFor(() => deployments.length > 0, 5000, 'a deployment');
    const d = deployments[0] as EdgeDeployment;
    expect(d.type).toBe('nodes');
    expect(d.flows.map((n) => n.id).sort()).toEqual(['i1', 'plant']);
    expect(JSON.stringify(d.flows)).not.toContain('s3cret-value');
    expect(d.credentials).toBeDefined();
    expect(decryptForEdge(deriveEdgeKey(e.credential), d.credentials as string)).toEqual({
      i1: { credentials: { password: 's3cret-value' } },
    });
    await waitFor(() => false, 200).catch(() => undefined);
    const info = (await edges()).find((x) => x.id === e.edgeId);
    expect(info).toMatchObject({ online: true, runningRev: d.rev, targetRev: d.rev, deployError: null });
  });

  it('keeps the error by node when the edge refuses a deployment', async () => {
    const e = await enroll('refuser');
    await open(e, (d, reply) =>
      reply({
        rev: d.rev,
        ok: false,
        error: 'invalid flow',
        problems: [{ nodeId: 'i1', type: 'inject', property: 'repeat', message: 'not a number' }],
      }),
    );
    let info: EdgeInfo | undefined;
    await waitFor(() => false, 300).catch(() => undefined);
    for (let i = 0; i < 50 && !info?.deployError; i++) {
      info = (await edges()).find((x) => x.id === e.edgeId);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(info?.deployError?.problems).toEqual([
      { nodeId: 'i1', type: 'inject', property: 'repeat', message: 'not a number' },
    ]);
    expect(info?.runningRev).toBeNull();
  });

  it('passes each (edge, seq) on once, however often the edge resends it', async () => {
    const e = await enroll('upstream');
    const flows = [
      { id: 'cloud', type: 'tab', label: 'Cloud' },
      { id: 'in', type: 'edge in', z: 'cloud', edges: ['upstream'], wires: [['mark']] },
      {
        id: 'mark',
        type: 'function',
        z: 'cloud',
        func: 'msg.payload.backfill = msg.backfill === true; return msg;',
        wires: [['probe']],
      },
      { id: 'probe', type: 'probe', z: 'cloud', wires: [] },
    ];
    expect((await admin.request('POST', '/api/deploy', { flows, type: 'full' })).status).toBe(200);
    const socket = await open(e, (d, reply) => reply({ rev: d.rev, ok: true }));
    const item = (seq: number, backfill = false): UpstreamItem => ({
      seq,
      time: Date.now(),
      channel: 'c',
      backfill,
      msg: { payload: { seq } },
    });
    seen.length = 0;
    const first = await socket.emitWithAck(edgeEvents.upstream, { items: [item(1), item(2), item(3)], floor: 1 });
    expect(first).toEqual({ acked: [1, 2, 3] });
    // The ack was lost: the edge resends 2 and 3 after a reconnect, as back-fill, with 4.
    const again = await socket.emitWithAck(edgeEvents.upstream, {
      items: [item(2, true), item(3, true), item(4, true)],
      floor: 2,
    });
    expect(again).toEqual({ acked: [2, 3, 4] });
    await waitFor(() => seen.length >= 4, 3000, 'four messages');
    await new Promise((r) => setTimeout(r, 100));
    // Back-fill carries the same mark as device back-fill, so alert rules leave it alone.
    expect(seen).toEqual([1, 2, 3, 4].map((seq) => ({ seq, backfill: seq === 4 })));
    const bad = await socket.emitWithAck(edgeEvents.upstream, { items: [{ seq: -1 }] });
    expect(bad).toMatchObject({ error: expect.stringMatching(/bad upstream batch/) });
  });

  it('disconnects a revoked edge and refuses it afterwards', async () => {
    const e = await enroll('revoked');
    const socket = await open(e);
    const gone = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    expect((await admin.request('POST', `/api/edges/${e.edgeId}/revoke`)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await expect(open(e)).rejects.toThrow(/this edge was revoked/);
    expect((await edges()).find((x) => x.id === e.edgeId)).toMatchObject({ revoked: true, online: false });
  });
});
