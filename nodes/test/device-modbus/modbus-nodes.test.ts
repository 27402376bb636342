import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import modbusSerial from 'modbus-serial';
import { deviceNodes } from '../../src/device/index.js';
import { runFlow } from '../flow-harness.js';
import { freePort, until } from '../device-support/tcp-proxy.js';

const { ServerTCP } = modbusSerial;
type Server = InstanceType<typeof ServerTCP>;

/** The memory of a simulated device, served by modbus-serial's own TCP server. */
const memory = { coils: new Array<boolean>(64).fill(false), inputs: new Array<boolean>(64).fill(false), holding: new Array<number>(64).fill(0), input: new Array<number>(64).fill(0) };

function startServer(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = new ServerTCP(
      {
        getCoil: (addr: number) => memory.coils[addr] ?? false,
        getDiscreteInput: (addr: number) => memory.inputs[addr] ?? false,
        getHoldingRegister: (addr: number) => memory.holding[addr] ?? 0,
        getInputRegister: (addr: number) => memory.input[addr] ?? 0,
        setCoil: (addr: number, value: boolean) => void (memory.coils[addr] = value),
        setRegister: (addr: number, value: number) => void (memory.holding[addr] = value),
      },
      { host: '127.0.0.1', port, unitID: 1 },
    );
    server.on('initialized', () => resolve(server));
    server.on('serverError', (err) => reject(err ?? new Error('modbus server error')));
  });
}

async function stopServer(server: Server): Promise<void> {
  for (const sock of server.socks.keys()) sock.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

let port: number;
let server: Server;
beforeAll(async () => {
  port = await freePort();
  server = await startServer(port);
});
afterAll(() => stopServer(server));

const conn = (extra: Record<string, unknown> = {}) => ({ id: 'mb', type: 'modbus-client', host: '127.0.0.1', port: String(port), unitId: '1', timeout: 500, ...extra });

describe('modbus read and write', () => {
  it('reads every area on a trigger, decoding and scaling registers', async () => {
    memory.coils[3] = true;
    memory.inputs[1] = true;
    // 21.5 as float32 with the low word first (CDAB), and a scaled int16 temperature.
    memory.holding[10] = 0x0000;
    memory.holding[11] = 0x41ac;
    memory.input[5] = 0xff9c; // -100 → -10.0 with scale 0.1
    const h = await runFlow(
      [
        conn(),
        { id: 'coils', type: 'modbus read', server: 'mb', area: 'coils', address: '2', quantity: '3', interval: '0', wires: [['out']] },
        { id: 'di', type: 'modbus read', server: 'mb', area: 'discrete-inputs', address: '0', quantity: '2', interval: 0, wires: [['out']] },
        { id: 'hr', type: 'modbus read', server: 'mb', area: 'holding-registers', address: 10, quantity: 1, dataType: 'float32', wordOrder: 'LE', interval: 0, wires: [['out']] },
        { id: 'ir', type: 'modbus read', server: 'mb', area: 'input-registers', address: 5, dataType: 'int16', scale: '0.1', interval: 0, wires: [['out']] },
      ],
      { nodes: deviceNodes, timeoutMs: 5000 },
    );
    try {
      await until(() => h.statuses('coils').at(-1)?.text === 'connected', 5000, 'connected');
      for (const id of ['coils', 'di', 'hr', 'ir']) {
        h.send(id, { topic: id });
        await h.settle(20);
      }
      const msgs = await h.outputs('out', 4);
      const byTopic = Object.fromEntries(msgs.map((m) => [m.topic, m]));
      expect(byTopic['coils']?.payload).toEqual([false, true, false]);
      expect(byTopic['di']?.payload).toEqual([false, true]);
      expect(byTopic['hr']?.payload).toEqual([21.5]);
      expect(byTopic['hr']?.['modbus']).toMatchObject({ unitId: 1, area: 'holding-registers', address: 10, raw: [0, 0x41ac] });
      expect(byTopic['ir']?.payload).toEqual([-10]);
    } finally {
      await h.close();
    }
  });

  it('writes coils and registers, single and many, encoded as configured', async () => {
    const h = await runFlow(
      [
        conn(),
        { id: 'wc', type: 'modbus write', server: 'mb', area: 'coils', address: 20, wires: [['done']] },
        { id: 'wr', type: 'modbus write', server: 'mb', area: 'holding-registers', address: 30, dataType: 'int32', wires: [['done']] },
        { id: 'ws', type: 'modbus write', server: 'mb', area: 'holding-registers', address: 40, dataType: 'uint16', scale: 0.5, wires: [['done']] },
      ],
      { nodes: deviceNodes, timeoutMs: 5000 },
    );
    try {
      await until(() => h.statuses('wc').at(-1)?.text === 'connected', 5000, 'connected');
      h.send('wc', { payload: [true, false, true] });
      h.send('wc', { payload: true, address: 25 });
      h.send('wr', { payload: [-2, 70000] });
      h.send('ws', { payload: 21 });
      await h.outputs('done', 4);
      expect(memory.coils.slice(20, 23)).toEqual([true, false, true]);
      expect(memory.coils[25]).toBe(true);
      expect(memory.holding.slice(30, 34)).toEqual([0xffff, 0xfffe, 0x0001, 0x1170]);
      expect(memory.holding[40]).toBe(42);
      h.send('ws', { payload: 'abc' });
      h.send('ws', { payload: 1e9 });
      const errs = await h.waitErrors(2, 'ws');
      expect(errs[0]?.message).toMatch(/must be a number/);
      expect(errs[1]?.message).toMatch(/outside uint16/);
    } finally {
      await h.close();
    }
  });

  it('polls on an interval, shows the outage, and recovers after the server restarts', async () => {
    memory.holding[0] = 7;
    const h = await runFlow(
      [
        conn({ reconnectMinMs: 100, reconnectMaxMs: 400 }),
        { id: 'poll', type: 'modbus read', server: 'mb', area: 'holding-registers', address: 0, quantity: 1, interval: 50, wires: [['out']] },
      ],
      { nodes: deviceNodes, timeoutMs: 5000 },
    );
    try {
      const [first] = await h.outputs('out', 1);
      expect(first?.payload).toEqual([7]);
      await stopServer(server);
      await until(() => /^disconnected/.test(h.statuses('poll').at(-1)?.text ?? ''), 5000, 'disconnected status');
      const before = h.received('out').length;
      await new Promise((r) => setTimeout(r, 300));
      memory.holding[0] = 8;
      server = await startServer(port);
      await until(() => h.received('out').some((m) => (m.payload as number[])[0] === 8), 5000, 'a read after the restart');
      expect(h.received('out').length).toBeGreaterThan(before);
      expect(h.statuses('poll').at(-1)?.text).toBe('connected');
    } finally {
      await h.close();
    }
  });

  it('reports a read while disconnected as an error naming the server', async () => {
    const h = await runFlow(
      [conn({ port: 1, reconnectMinMs: 1000 }), { id: 'r', type: 'modbus read', server: 'mb', interval: 0, wires: [['out']] }],
      { nodes: deviceNodes, timeoutMs: 3000 },
    );
    try {
      h.send('r', {});
      const [err] = await h.waitErrors(1, 'r');
      expect(err?.message).toMatch(/modbus 127\.0\.0\.1:1 is not connected/);
    } finally {
      await h.close();
    }
  });
});
