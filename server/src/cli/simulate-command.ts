import { parseArgs } from 'node:util';
import { prepareFleet } from '../devices/simulator/fleet.js';
import { createSimulator, type SimulatorStats } from '../devices/simulator/simulator.js';
import { usageErrors } from './args.js';
import { UsageError, type CliIo, type Command } from './usage.js';

function positive(name: string, value: string | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

const line = (s: SimulatorStats, elapsed: number, previous: number) =>
  `${elapsed.toFixed(0).padStart(5)} s  connected ${s.connected}  sent ${s.sent}  (${Math.round(s.sent - previous)}/s)` +
  (s.accepted || s.refused ? `  accepted ${s.accepted}  refused ${s.refused}` : '') +
  (s.p99 !== undefined ? `  reply p50 ${s.p50?.toFixed(1)} ms p99 ${s.p99.toFixed(1)} ms` : '') +
  '\n';

/**
 * `gridflow simulate`: devices of a product connect to a running server's broker over the
 * real protocol and post measure points from the product's thing model.
 */
export const simulateCommand: Command = {
  summary: 'simulate devices of a product: real MQTT connections posting measure points from its model',
  usage:
    'gridflow simulate --product <key> [--devices 10] [--rate 1] [--url http://127.0.0.1:1880] [--token <t> | --user <u> --password <p>] ' +
    '[--broker mqtt://host:port] [--prefix sim-] [--create] [--batch 1] [--duration <s>]',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = usageErrors(() =>
      parseArgs({
        args,
        options: {
          product: { type: 'string' },
          devices: { type: 'string' },
          rate: { type: 'string' },
          url: { type: 'string' },
          token: { type: 'string' },
          user: { type: 'string' },
          password: { type: 'string' },
          broker: { type: 'string' },
          prefix: { type: 'string' },
          create: { type: 'boolean' },
          batch: { type: 'string' },
          duration: { type: 'string' },
        },
        strict: true,
      }),
    );
    if (!values.product) throw new UsageError('--product is required');
    const count = positive('devices', values.devices, 10);
    const rate = positive('rate', values.rate, 1, false);
    const batch = positive('batch', values.batch, 1);
    const duration = values.duration === undefined ? undefined : positive('duration', values.duration, 0, false);
    const url = values.url ?? io.env['GRIDFLOW_URL'] ?? 'http://127.0.0.1:1880';
    const token = values.token ?? io.env['GRIDFLOW_TOKEN'];
    const user = values.user ?? (token ? undefined : 'admin');
    const password = values.password ?? io.env['GRIDFLOW_PASSWORD'];

    const fleet = await prepareFleet({
      url,
      ...(token ? { token } : {}),
      ...(user ? { user } : {}),
      ...(password ? { password } : {}),
      productKey: values.product,
      count,
      prefix: values.prefix ?? 'sim-',
      create: values.create === true,
    });
    const brokerUrl = values.broker ?? `mqtt://${new URL(url).hostname}:${fleet.brokerPort}`;
    io.stderr(
      `simulating ${count} devices of ${fleet.product.productKey} (model ${fleet.model.id}, ${fleet.model.measurePoints.length} points) at ${rate}/s each on ${brokerUrl}` +
        (fleet.created ? `; created ${fleet.created} devices` : '') +
        '\n',
    );
    const sim = createSimulator({ brokerUrl, devices: fleet.devices, model: fleet.model, rate, batch, replies: true });
    const stopped = io.stopSignal();
    try {
      await sim.connect();
    } catch (err) {
      await sim.stop();
      throw err;
    }
    sim.start();
    const started = performance.now();
    let previous = 0;
    const report = setInterval(() => {
      const s = sim.stats();
      io.stdout(line(s, (performance.now() - started) / 1000, previous));
      previous = s.sent;
    }, 1000);
    const timeUp = duration !== undefined ? new Promise<string>((resolve) => setTimeout(() => resolve('duration'), duration * 1000)) : new Promise<string>(() => undefined);
    let final: SimulatorStats;
    try {
      await Promise.race([stopped, timeUp]);
    } finally {
      clearInterval(report);
      // Let the last replies arrive before counting.
      await sim.drain(3000);
      final = sim.stats();
      await sim.stop();
      io.stdout(`done: sent ${final.sent} measure point messages in ${final.publishes} publishes; accepted ${final.accepted}, refused ${final.refused}\n`);
      for (const r of final.lastRefusals) io.stderr(`refused: ${r}\n`);
    }
    return final.refused > 0 ? 1 : 0;
  },
};
