import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import aedesPackage from 'aedes';
import { deviceNodes } from '../../src/device/index.js';
import { runFlow, type FlowHarness } from '../flow-harness.js';
import { until } from '../device-support/tcp-proxy.js';

// An MQTT broker (aedes) over TLS with a self-signed certificate for "localhost" and a password.
const dir = mkdtempSync(join(tmpdir(), 'gridflow-mqtt-tls-'));
let cert: string;
let server: Server;
let port: number;
const aedes = aedesPackage.createBroker();

beforeAll(async () => {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  aedes.authenticate = (_client, username, password, done) => {
    const ok = username === 'meter' && password?.toString() === 'pa55word';
    if (ok) return done(null, true);
    const err = Object.assign(new Error('bad credentials'), { returnCode: 4 as const });
    done(err, false);
  };
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (socket) => aedes.handle(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
afterAll(async () => {
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const flow = (credentials: Record<string, string>, tls: Record<string, unknown>) => [
  { id: 'tls', type: 'tls-config', servername: 'localhost', ...tls },
  { id: 'b', type: 'mqtt-broker', broker: '127.0.0.1', port, usetls: true, tls: 'tls', credentials, reconnectMinMs: 5000 },
  { id: 'in', type: 'mqtt in', topic: 'meters/#', qos: '1', datatype: 'json', broker: 'b', wires: [['got']] },
  { id: 'out', type: 'mqtt out', topic: 'meters/m1', qos: '1', broker: 'b' },
];
const statusText = (h: FlowHarness) => h.statuses('in').at(-1)?.text ?? '';

describe('mqtt over TLS with user and password', () => {
  it('verifies the server against the CA, logs in, and carries messages', async () => {
    const h = await runFlow(flow({ user: 'meter', password: 'pa55word' }, { credentials: { cadata: cert } }), { nodes: deviceNodes, timeoutMs: 5000 });
    try {
      await until(() => statusText(h) === 'connected', 5000, 'connected');
      h.send('out', { payload: { kWh: 12.5 } });
      const [msg] = await h.outputs('got', 1);
      expect(msg).toMatchObject({ topic: 'meters/m1', payload: { kWh: 12.5 }, qos: 1 });
    } finally {
      await h.close();
    }
  });

  it('refuses a wrong password and an unverifiable certificate, saying why', async () => {
    const bad = await runFlow(flow({ user: 'meter', password: 'wrong' }, { credentials: { cadata: cert } }), { nodes: deviceNodes, timeoutMs: 5000 });
    try {
      await until(() => statusText(bad).startsWith('disconnected'), 5000, 'refused');
      expect(statusText(bad)).toMatch(/Bad username or password/);
    } finally {
      await bad.close();
    }
    const untrusted = await runFlow(flow({ user: 'meter', password: 'pa55word' }, {}), { nodes: deviceNodes, timeoutMs: 5000 });
    try {
      await until(() => statusText(untrusted).startsWith('disconnected'), 5000, 'refused');
      expect(statusText(untrusted)).toMatch(/self.signed certificate/i);
    } finally {
      await untrusted.close();
    }
  });
});
