import { z } from 'zod';
import { defineNode, generateId, type Msg } from '@gridflow/runtime';
import { numberish, stringish } from '../shared/typed-value.js';
import { modbusClientRef, type ModbusClientApi } from './modbus-client.js';
import { decodeRegisters, encodeRegisters, modbusDataTypes, registersPer, type RegisterFormat } from './modbus-codec.js';
import { connectionStatus } from './reconnect.js';
import { configNodeOf, useConnection } from './shared-connection.js';

const formatFields = {
  /** int16, uint16, int32, uint32, float32 (registers only). */
  dataType: z.enum(modbusDataTypes).default('uint16'),
  /** Bytes in a register: BE (AB, standard) or LE (BA). */
  byteOrder: z.enum(['BE', 'LE']).default('BE'),
  /** Registers of a 32-bit value: BE (high word first) or LE. */
  wordOrder: z.enum(['BE', 'LE']).default('BE'),
  /** value = raw × scale + offset. */
  scale: numberish(1).pipe(z.number().refine((n) => n !== 0, 'scale cannot be 0')),
  offset: numberish(0),
};

const common = {
  name: stringish(''),
  /** Id of the modbus-client config node. */
  server: stringish('').pipe(z.string().min(1, 'a Modbus server is required')),
  /** Unit id; empty for the server's default. */
  unitId: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : Number(v)), z.number().int().min(0).max(255).optional()),
  /** First address, 0-based (register 40001 is address 0). */
  address: numberish(0).pipe(z.number().int().min(0).max(65535)),
  ...formatFields,
};

const readConfig = z.object({
  ...common,
  area: z.enum(['coils', 'discrete-inputs', 'holding-registers', 'input-registers']).default('holding-registers'),
  /** How many values (not registers) to read. */
  quantity: numberish(1).pipe(z.number().int().min(1).max(2000)),
  /** Poll interval in ms; 0 reads only when a message arrives. */
  interval: numberish(1000).pipe(z.number().int().min(0)),
});

const writeConfig = z.object({
  ...common,
  area: z.enum(['coils', 'holding-registers']).default('holding-registers'),
});

const formatOf = (c: RegisterFormat): RegisterFormat => ({ dataType: c.dataType, byteOrder: c.byteOrder, wordOrder: c.wordOrder, scale: c.scale, offset: c.offset });

/**
 * Reads coils, discrete inputs, holding or input registers on a poll interval or on each input
 * message. `msg.payload` is the array of values (booleans for bits, scaled numbers for registers).
 */
export const modbusReadNode = defineNode({
  type: 'modbus read',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'modbus read',
  paletteLabel: 'modbus read',
  icon: 'bridge.svg',
  color: '#e9967a',
  config: readConfig,
  help: `Reads a Modbus TCP server: coils (FC1), discrete inputs (FC2), holding registers (FC3) or input registers (FC4).
Registers are decoded as int16, uint16, int32, uint32 or float32 with byte and word order, then scaled
(value = raw × scale + offset). Polls every \`interval\` ms (0: only when a message arrives).
\`msg.payload\` is the array of values; \`msg.modbus\` has the unit id, area, address and raw data.`,
  create(ctx, c) {
    const client = configNodeOf<ModbusClientApi>(ctx, c.server, modbusClientRef);
    let lastError = '';
    // A failing read's status stays up while the connection is fine.
    const release = useConnection(ctx, client, (s) => s.state !== 'connected' || !lastError);
    const unitId = c.unitId ?? client.defaultUnitId;
    const format = formatOf(c);
    const bits = c.area === 'coils' || c.area === 'discrete-inputs';
    const count = bits ? c.quantity : c.quantity * registersPer(c.dataType);
    const what = `read ${count} ${c.area} at ${c.address}`;

    async function read(): Promise<{ payload: unknown[]; raw: number[] | boolean[] }> {
      return client.request(unitId, what, async (m) => {
        switch (c.area) {
          case 'coils': {
            const r = await m.readCoils(c.address, count);
            return { payload: r.data.slice(0, count), raw: r.data.slice(0, count) };
          }
          case 'discrete-inputs': {
            const r = await m.readDiscreteInputs(c.address, count);
            return { payload: r.data.slice(0, count), raw: r.data.slice(0, count) };
          }
          case 'holding-registers': {
            const r = await m.readHoldingRegisters(c.address, count);
            return { payload: decodeRegisters(r.data, format), raw: r.data };
          }
          case 'input-registers': {
            const r = await m.readInputRegisters(c.address, count);
            return { payload: decodeRegisters(r.data, format), raw: r.data };
          }
        }
      });
    }

    const build = (base: Msg | undefined, r: { payload: unknown[]; raw: unknown[] }): Msg => ({
      ...(base ?? { _msgid: generateId() }),
      topic: base?.topic ?? (c.name || `${c.area}/${c.address}`),
      payload: r.payload,
      modbus: { unitId, area: c.area, address: c.address, quantity: c.quantity, raw: r.raw },
    });

    const ok = () => {
      if (!lastError) return;
      lastError = '';
      ctx.status(connectionStatus(client.state.current));
    };
    let polling = false;
    if (c.interval > 0) {
      ctx.timers.setInterval(() => {
        // A slow server must not pile up requests: skip a tick while one is out.
        if (polling || client.state.current.state !== 'connected') return;
        polling = true;
        read()
          .then((r) => {
            ok();
            ctx.send(build(undefined, r));
          })
          .catch((err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            if (message !== lastError) ctx.error(err);
            lastError = message;
            ctx.status({ fill: 'red', shape: 'dot', text: message.slice(0, 80) });
          })
          .finally(() => (polling = false));
      }, c.interval);
    }
    return {
      async input(msg, send, done) {
        try {
          const r = await read();
          ok();
          send(build(msg, r));
          done();
        } catch (err) {
          done(err);
        }
      },
      close: release,
    };
  },
});

function valuesOf(payload: unknown, bits: boolean): (number | boolean)[] {
  const list = Array.isArray(payload) ? (payload as unknown[]) : [payload];
  if (list.length === 0) throw new Error('msg.payload has no values to write');
  return list.map((v, i) => {
    if (bits) {
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      throw new Error(`msg.payload[${i}] must be true/false (or 1/0) for coils, got ${JSON.stringify(v)}`);
    }
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`msg.payload[${i}] must be a number, got ${JSON.stringify(v)}`);
    return n;
  });
}

/**
 * Writes `msg.payload` (a value or an array) to coils (FC5 / FC15) or holding registers
 * (FC6 / FC16), encoded and scaled as configured. Passes the message on when written.
 */
export const modbusWriteNode = defineNode({
  type: 'modbus write',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'modbus write',
  paletteLabel: 'modbus write',
  icon: 'bridge.svg',
  color: '#e9967a',
  config: writeConfig,
  help: `Writes \`msg.payload\` (one value or an array) to coils (true/false) or holding registers of a Modbus TCP server.
Register values are encoded as the data type with byte and word order; raw = (value − offset) / scale.
\`msg.address\` overrides the address. The message goes on once the server confirmed the write.`,
  create(ctx, c) {
    const client = configNodeOf<ModbusClientApi>(ctx, c.server, modbusClientRef);
    const release = useConnection(ctx, client);
    const unitId = c.unitId ?? client.defaultUnitId;
    const format = formatOf(c);
    const bits = c.area === 'coils';
    return {
      async input(msg, send, done) {
        try {
          const address = msg['address'] !== undefined ? Number(msg['address']) : c.address;
          if (!Number.isInteger(address) || address < 0 || address > 65535) throw new Error(`msg.address ${JSON.stringify(msg['address'])} is not 0..65535`);
          const values = valuesOf(msg.payload, bits);
          if (bits) {
            const states = values as boolean[];
            await client.request<unknown>(unitId, `write ${states.length} coils at ${address}`, (m) =>
              states.length === 1 ? m.writeCoil(address, states[0] as boolean) : m.writeCoils(address, states),
            );
          } else {
            const words = encodeRegisters(values as number[], format);
            await client.request<unknown>(unitId, `write ${words.length} registers at ${address}`, (m) =>
              words.length === 1 ? m.writeRegister(address, words[0] as number) : m.writeRegisters(address, words),
            );
          }
          msg['modbus'] = { unitId, area: c.area, address, written: values.length };
          send(msg);
          done();
        } catch (err) {
          done(err);
        }
      },
      close: release,
    };
  },
});
