import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicePointsResponse, DevicesResponse } from '@gridflow/runtime/contract';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/usage.js';
import { ADMIN_PASSWORD } from '../helpers.js';
import { collect, ok, seed, startDeviceServer, type DeviceTestServer } from './support.js';

let s: DeviceTestServer;
beforeAll(async () => {
  s = await startDeviceServer();
  await seed(s.admin);
});
afterAll(() => s.close());

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: process.cwd(), stopSignal: () => new Promise(() => undefined) };
  return { cli, out, err };
}

describe('gridflow simulate', () => {
  it('creates the devices, connects them over the EnOS protocol and posts valid measure points', async () => {
    const seen = collect(s.hub, { kinds: ['measurepoints', 'lifecycle'] });
    const { cli, out, err } = io();
    const args = ['simulate', '--product', 'invPK', '--devices', '5', '--rate', '20', '--url', s.ts.url, '--user', 'admin', '--password', ADMIN_PASSWORD];
    const code = await main([...args, '--create', '--duration', '1.5'], cli);
    expect(err.join('')).toMatch(/simulating 5 devices of invPK \(model Inverter, 10 points\).*created 5 devices/);
    expect(code).toBe(0);
    const done = out.at(-1) ?? '';
    const m = /sent (\d+) measure point messages in \d+ publishes; accepted (\d+), refused 0/.exec(done);
    expect(m, done).not.toBeNull();
    // 5 devices × 20/s × 1.5 s = 150, less what a busy machine's late timer ticks drop.
    expect(Number(m?.[1])).toBeGreaterThan(60);
    expect(Number(m?.[2])).toBe(Number(m?.[1]));
    const keys = new Set(seen.messages.filter((x) => x.kind === 'measurepoints').map((x) => x.deviceKey));
    expect([...keys].sort()).toEqual(['sim-0001', 'sim-0002', 'sim-0003', 'sim-0004', 'sim-0005']);
    expect(seen.messages.filter((x) => x.kind === 'lifecycle' && x.state === 'online')).toHaveLength(5);
    const latest = await ok<DevicePointsResponse>(s.admin.request('GET', '/api/devices/invPK/sim-0003/points'));
    expect(Object.keys(latest.points).sort()).toEqual(['count', 'currents', 'energy', 'label', 'pos', 'power', 'running', 'since', 'status', 'temp']);
    seen.close();

    // A second run reuses the devices; without --create, missing ones are an error.
    const again = io();
    expect(await main([...args, '--duration', '0.5'], again.cli)).toBe(0);
    const listed = await ok<DevicesResponse>(s.admin.request('GET', '/api/devices?productKey=invPK&search=sim-'));
    expect(listed.total).toBe(5);
    const more = io();
    expect(await main([...args, '--devices', '7', '--duration', '0.5'], more.cli)).toBe(1);
    expect(more.err.join('')).toMatch(/2 of 7 devices \(sim-0006…\) do not exist; add --create/);
  });

  it('explains bad arguments', async () => {
    const { cli, err } = io();
    expect(await main(['simulate', '--devices', '3'], cli)).toBe(2);
    expect(err.join('')).toMatch(/--product is required/);
    const b = io();
    expect(await main(['simulate', '--product', 'x', '--rate', 'fast'], b.cli)).toBe(2);
    expect(b.err.join('')).toMatch(/--rate must be a positive number/);
  });
});
