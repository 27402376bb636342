import type modbusSerial from 'modbus-serial';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { numberish, stringish } from '../shared/typed-value.js';
import { createReconnector, createStateFeed, type Reconnector, type StateFeed } from './reconnect.js';
import type { ConfigRef } from './shared-connection.js';

type ModbusClient = InstanceType<typeof modbusSerial.default>;

/**
 * modbus-serial is loaded on the first connection, not at import: an agent whose flows use no
 * Modbus server never pays its memory. CommonJS: the default import is module.exports, whose
 * `default` is the client class.
 */
async function newModbusClient(): Promise<ModbusClient> {
  const { default: modbusSerialModule } = await import('modbus-serial');
  return new modbusSerialModule.default();
}

const modbusClientConfig = z.object({
  name: stringish(''),
  host: stringish('').pipe(z.string().min(1, 'host is required')),
  port: numberish(502).pipe(z.number().int().min(1).max(65535)),
  /** Unit id used when a read or write node does not set its own. */
  unitId: numberish(1).pipe(z.number().int().min(0).max(255)),
  /** How long a request may wait for its response (ms). */
  timeout: numberish(2000).pipe(z.number().int().min(50).max(60_000)),
  reconnectMinMs: numberish(500).pipe(z.number().int().min(10)),
  reconnectMaxMs: numberish(30_000).pipe(z.number().int().min(10)),
});

/** How the modbus nodes name their client config node. */
export const modbusClientRef: ConfigRef = { type: 'modbus-client', label: 'Modbus server' };

export interface ModbusClientApi {
  readonly state: StateFeed;
  readonly defaultUnitId: number;
  /** A node starts using the connection (opened on first use); returns the release. */
  use(): () => void;
  /**
   * Runs one request on the connection, one at a time (the unit id is connection state in
   * modbus-serial). Rejects at once when disconnected; a broken connection is reopened.
   */
  request<T>(unitId: number, what: string, fn: (client: ModbusClient) => Promise<T>): Promise<T>;
}

/** Errors that mean the TCP connection is gone (rather than a Modbus exception from the device). */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; name?: unknown };
  const text = `${String(e.name ?? '')} ${String(e.message ?? '')} ${String(e.errno ?? '')} ${String(e.code ?? '')}`;
  return /Port Not Open|ECONNRESET|EPIPE|ECONNREFUSED|ETIMEDOUT|Timed out|socket|closed/i.test(text) && !/Modbus exception/i.test(text);
}

/** A Modbus TCP connection shared by `modbus read` and `modbus write` nodes. */
export const modbusClientNode = defineNode<typeof modbusClientConfig, ModbusClientApi>({
  type: 'modbus-client',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'Modbus TCP server',
  config: modbusClientConfig,
  help: `A Modbus TCP connection (host, port, default unit id, request timeout), shared by the nodes that use it.
Reconnects with a bounded exponential back-off.`,
  create(ctx, c) {
    const state = createStateFeed();
    const where = `${c.host}:${c.port}`;
    let reconnector: Reconnector<ModbusClient> | undefined;
    let queue: Promise<unknown> = Promise.resolve();

    async function open(): Promise<ModbusClient> {
      const client = await newModbusClient();
      client.setTimeout(c.timeout);
      return client.connectTCP(c.host, { port: c.port }).then(
        () => {
          client.on('close', () => reconnector?.lost(client, new Error('connection closed')));
          client.on('error', (err: unknown) => reconnector?.lost(client, err));
          return client;
        },
        (err: unknown) => {
          client.close(() => undefined);
          // Shown as the status of the nodes using this server, which know which one it is.
          ctx.debug(`modbus ${where}: ${err instanceof Error ? err.message : String(err)}`);
          throw err instanceof Error ? err : new Error(String(err));
        },
      );
    }

    const ensure = () => {
      if (reconnector) return reconnector;
      reconnector = createReconnector<ModbusClient>({
        open,
        // modbus-serial calls back only when the port was still open.
        close: (client) => new Promise<void>((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve())),
        onState: (s) => state.set(s),
        initialDelayMs: c.reconnectMinMs,
        maxDelayMs: Math.max(c.reconnectMinMs, c.reconnectMaxMs),
      });
      reconnector.start();
      return reconnector;
    };

    // modbus-serial does not always relay a socket closed after an error (its close event is
    // only emitted while it still thinks the port is open), so the connection is also watched.
    ctx.timers.setInterval(() => {
      const client = reconnector?.connection;
      if (client && !client.isOpen) reconnector?.lost(client, new Error('connection closed'));
    }, 250);

    const api: ModbusClientApi = {
      state,
      defaultUnitId: c.unitId,
      use() {
        ensure();
        return () => undefined;
      },
      request(unitId, what, fn) {
        const run = async () => {
          const r = ensure();
          const client = r.connection;
          if (client && !client.isOpen) r.lost(client, new Error('connection closed'));
          if (!client || !client.isOpen) throw new Error(`modbus ${where} is not connected (${r.state.state}); ${what} not sent`);
          client.setID(unitId);
          try {
            return await fn(client);
          } catch (err) {
            if (isConnectionError(err)) r.lost(client, err);
            const detail = err instanceof Error ? err.message : String(err);
            throw new Error(`modbus ${where} unit ${unitId}: ${what} failed: ${detail}`);
          }
        };
        const result = queue.then(run, run);
        queue = result.catch(() => undefined);
        return result;
      },
    };
    return {
      api,
      async close() {
        const r = reconnector;
        reconnector = undefined;
        await r?.stop();
      },
    };
  },
});
