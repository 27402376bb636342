import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  type UAVariable,
} from 'node-opcua';
import { deviceNodes } from '../../src/device/index.js';
import { runFlow, type FlowHarness } from '../flow-harness.js';
import { freePort, until } from '../device-support/tcp-proxy.js';

/** A boiler with a temperature, a set point and an Add method, served by a real node-opcua server. */
const plant = { temperature: 20, setPoint: 50 };
let temperatureVar: UAVariable | undefined;
const pki = mkdtempSync(join(tmpdir(), 'gridflow-opcua-'));

async function startServer(port: number): Promise<OPCUAServer> {
  const server = new OPCUAServer({
    port,
    hostname: '127.0.0.1',
    resourcePath: '/UA/Boiler',
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(pki, 'server'), automaticallyAcceptUnknownCertificate: true }),
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: true,
    userManager: { isValidUser: (user: string, password: string) => user === 'operator' && password === 'secret-1' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new Error('no address space');
  const ns = addressSpace.getOwnNamespace();
  const boiler = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Boiler', nodeId: 's=Boiler' });
  temperatureVar = ns.addVariable({
    componentOf: boiler,
    nodeId: 's=Temperature',
    browseName: 'Temperature',
    dataType: 'Double',
    minimumSamplingInterval: 50,
    value: { get: () => new Variant({ dataType: DataType.Double, value: plant.temperature }) },
  });
  ns.addVariable({
    componentOf: boiler,
    nodeId: 's=SetPoint',
    browseName: 'SetPoint',
    dataType: 'Int16',
    minimumSamplingInterval: 100,
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    value: {
      get: () => new Variant({ dataType: DataType.Int16, value: plant.setPoint }),
      set: (v: Variant) => {
        plant.setPoint = v.value as number;
        return StatusCodes.Good;
      },
    },
  });
  const add = ns.addMethod(boiler, {
    nodeId: 's=Add',
    browseName: 'Add',
    inputArguments: [
      { name: 'a', dataType: DataType.Double },
      { name: 'b', dataType: DataType.Double },
    ],
    outputArguments: [{ name: 'sum', dataType: DataType.Double }],
  });
  add.bindMethod((inputs, _context, callback) =>
    callback(null, {
      statusCode: StatusCodes.Good,
      outputArguments: [{ dataType: DataType.Double, value: (inputs[0]?.value as number) + (inputs[1]?.value as number) }],
    }),
  );
  await server.start();
  return server;
}

let port: number;
let server: OPCUAServer;
const url = () => `opc.tcp://127.0.0.1:${port}/UA/Boiler`;

beforeAll(async () => {
  port = await freePort();
  server = await startServer(port);
});
afterAll(async () => {
  await server?.shutdown(0);
  rmSync(pki, { recursive: true, force: true });
});

const endpoint = (extra: Record<string, unknown> = {}) => ({ id: 'ep', type: 'opcua-endpoint', endpoint: url(), reconnectMinMs: 100, reconnectMaxMs: 500, ...extra });
const connected = (h: FlowHarness, id: string) => until(() => h.statuses(id).at(-1)?.text === 'connected', 20_000, `${id} connected`);

describe('opcua nodes', () => {
  it('reads on a trigger, writes with the variable data type, calls a method and browses', async () => {
    const h = await runFlow(
      [
        endpoint(),
        { id: 'read', type: 'opcua in', endpoint: 'ep', mode: 'read', items: 'ns=1;s=Temperature\nns=1;s=SetPoint', wires: [['values']] },
        { id: 'write', type: 'opcua out', endpoint: 'ep', action: 'write', nodeId: 'ns=1;s=SetPoint', wires: [['written']] },
        { id: 'call', type: 'opcua out', endpoint: 'ep', action: 'call', objectId: 'ns=1;s=Boiler', methodId: 'ns=1;s=Add', wires: [['called']] },
        { id: 'browse', type: 'opcua browse', endpoint: 'ep', wires: [['browsed']] },
      ],
      { nodes: deviceNodes, timeoutMs: 10_000 },
    );
    try {
      await connected(h, 'read');
      h.send('read', {});
      const values = await h.outputs('values', 2);
      expect(values.map((m) => [m.topic, m.payload, m['dataType'], m['statusCode']])).toEqual([
        ['ns=1;s=Temperature', 20, 'Double', 'Good'],
        ['ns=1;s=SetPoint', 50, 'Int16', 'Good'],
      ]);
      h.send('write', { payload: '65' });
      await h.outputs('written', 1);
      expect(plant.setPoint).toBe(65);
      h.send('write', { payload: 40_000 });
      const [err] = await h.waitErrors(1, 'write');
      expect(err?.message).toMatch(/outside Int16/);
      h.send('call', { payload: [2, 3.5] });
      const [sum] = await h.outputs('called', 1);
      expect(sum?.payload).toEqual([5.5]);
      h.send('browse', { topic: 'ns=1;s=Boiler' });
      const [tree] = await h.outputs('browsed', 1);
      const names = (tree?.payload as { browseName: string; nodeClass: string }[]).map((r) => `${r.browseName}:${r.nodeClass}`).sort();
      expect(names).toEqual(['1:Add:Method', '1:SetPoint:Variable', '1:Temperature:Variable']);
    } finally {
      await h.close();
    }
  });

  it('connects with Basic256Sha256 and a user name, and refuses a wrong password', async () => {
    const good = await runFlow(
      [
        endpoint({ securityPolicy: 'Basic256Sha256', securityMode: 'SignAndEncrypt', auth: 'username', credentials: { user: 'operator', password: 'secret-1' } }),
        { id: 'read', type: 'opcua in', endpoint: 'ep', mode: 'read', items: 'ns=1;s=Temperature', wires: [['values']] },
      ],
      { nodes: deviceNodes, timeoutMs: 20_000 },
    );
    try {
      await connected(good, 'read');
      good.send('read', {});
      const [v] = await good.outputs('values', 1);
      expect(v?.payload).toBe(plant.temperature);
    } finally {
      await good.close();
    }
    const bad = await runFlow(
      [endpoint({ auth: 'username', credentials: { user: 'operator', password: 'nope' }, reconnectMinMs: 5000 }), { id: 'read', type: 'opcua in', endpoint: 'ep', mode: 'read', items: 'ns=1;s=Temperature' }],
      { nodes: deviceNodes },
    );
    try {
      await until(() => /^disconnected/.test(bad.statuses('read').at(-1)?.text ?? ''), 20_000, 'refused');
      expect(bad.statuses('read').at(-1)?.text).toMatch(/BadUserAccessDenied|BadIdentityTokenRejected|Bad/);
    } finally {
      await bad.close();
    }
  });

  it('monitors with a deadband and subscribes again after the server restarts', async () => {
    const h = await runFlow(
      [
        endpoint(),
        {
          id: 'sub',
          type: 'opcua in',
          endpoint: 'ep',
          mode: 'subscribe',
          items: 'ns=1;s=Temperature',
          samplingInterval: 50,
          publishingInterval: 50,
          deadbandType: 'absolute',
          deadbandValue: 1,
          wires: [['changes']],
        },
      ],
      { nodes: deviceNodes, timeoutMs: 20_000 },
    );
    const set = (v: number) => {
      plant.temperature = v;
      temperatureVar?.touchValue();
    };
    try {
      const [first] = await h.outputs('changes', 1);
      expect(first?.payload).toBe(plant.temperature);
      set(plant.temperature + 0.5); // inside the deadband: not sent
      await new Promise((r) => setTimeout(r, 300));
      set(plant.temperature + 2);
      const [, second] = await h.outputs('changes', 2);
      expect(second?.payload).toBe(plant.temperature);
      expect(h.received('changes')).toHaveLength(2);

      await server.shutdown(0);
      await until(() => /^disconnected/.test(h.statuses('sub').at(-1)?.text ?? ''), 20_000, 'disconnected status');
      server = await startServer(port);
      await connected(h, 'sub');
      set(90);
      await until(() => h.received('changes').some((m) => m.payload === 90), 20_000, 'a change after the restart');
    } finally {
      await h.close();
    }
  });
});
