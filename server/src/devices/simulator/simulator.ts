import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { ThingModel } from '@gridflow/runtime/contract';
import { connectCredentials } from '../enos-auth.js';
import { createPointGenerator, type PointGenerator } from './point-generator.js';
import { createRawPublisher, type RawPublisher } from './raw-publish.js';

/**
 * A fleet of simulated devices speaking EnOS's device protocol over real MQTT connections:
 * each connects with its own signature and posts measure points from its thing model. The
 * fleet's total rate is kept by one ticker (devices × rate messages per second, spread
 * round-robin) rather than a timer per device, so a thousand devices cost one timer.
 */
export interface SimulatedDevice {
  productKey: string;
  deviceKey: string;
  deviceSecret: string;
}

export interface SimulatorOptions {
  /** mqtt://host:port of the device broker. */
  brokerUrl: string;
  devices: SimulatedDevice[];
  model: ThingModel;
  /** Measure point messages per second, per device. */
  rate: number;
  /** Entries per MQTT publish: 1 posts to thing/measurepoint/post, more uses post/batch. */
  batch?: number;
  /** Subscribe to replies, to count acceptances and refusals and time the round trip. */
  replies?: boolean;
  /** How many devices connect at once. */
  connectConcurrency?: number;
  /**
   * `enos` (default): EnOS CONNECT and topics. `plain`: the same payloads and topics with no
   * authentication, for a broker without the device protocol (the Mosquitto comparison).
   */
  auth?: 'enos' | 'plain';
}

export interface SimulatorStats {
  connected: number;
  /** MQTT publishes sent. */
  publishes: number;
  /** Measure point messages sent (publishes × batch). */
  sent: number;
  accepted: number;
  refused: number;
  /** The first refusals, with their reply messages. */
  lastRefusals: string[];
  /** Round trip of replies (ms), when replies are on. */
  p50?: number;
  p99?: number;
}

export interface Simulator {
  /** Connects every device; rejects when one cannot connect, naming it. */
  connect(): Promise<void>;
  /** Starts posting at the configured rate. */
  start(): void;
  stats(): SimulatorStats;
  /** Stops posting and waits (at most `timeoutMs`) for the replies still on their way. */
  drain(timeoutMs: number): Promise<void>;
  /** Stops posting and disconnects. */
  stop(): Promise<void>;
}

interface Sim {
  device: SimulatedDevice;
  client: MqttClient;
  topic: string;
  points: PointGenerator;
  raw: RawPublisher;
}

function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function createSimulator(o: SimulatorOptions): Simulator {
  const batch = Math.max(1, Math.floor(o.batch ?? 1));
  const sims: Sim[] = [];
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  const stats = { publishes: 0, sent: 0, accepted: 0, refused: 0, lastRefusals: [] as string[] };
  let ticker: NodeJS.Timeout | undefined;
  let nextId = 1;
  let cursor = 0;

  function connectOne(device: SimulatedDevice, index: number): Promise<Sim> {
    const options: IClientOptions = { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 15_000, keepalive: 120 };
    if (o.auth !== 'plain') Object.assign(options, connectCredentials({ productKey: device.productKey, deviceKey: device.deviceKey, secret: device.deviceSecret }));
    else options.clientId = `sim_${device.productKey}_${device.deviceKey}`;
    const client = connect(o.brokerUrl, options);
    const topic = `/sys/${device.productKey}/${device.deviceKey}/thing/measurepoint/${batch > 1 ? 'post/batch' : 'post'}`;
    return new Promise<Sim>((resolve, reject) => {
      // Only our own listeners come off: mqtt.js listens to its own close event too.
      const onError = (err: Error) => fail(err.message);
      // A CONNACK timeout closes the connection without an error event.
      const onClose = () => fail('connection closed before CONNACK');
      const fail = (why: string) => {
        client.off('error', onError);
        client.off('close', onClose);
        client.on('error', () => undefined);
        client.end(true);
        reject(new Error(`device ${device.productKey}/${device.deviceKey} could not connect: ${why}`));
      };
      client.once('error', onError);
      client.once('close', onClose);
      client.once('connect', () => {
        client.off('error', onError);
        client.off('close', onClose);
        client.on('error', () => undefined);
        resolve({ device, client, topic, points: createPointGenerator(o.model, index + 1), raw: createRawPublisher(topic) });
      });
    }).then(async (sim) => {
      if (o.replies) {
        await client.subscribeAsync(`${topic}_reply`, { qos: 0 });
        client.on('message', (_t, buf) => onReply(buf));
      }
      return sim;
    });
  }

  function onReply(buf: Buffer): void {
    let reply: { id?: unknown; code?: unknown; message?: unknown };
    try {
      reply = JSON.parse(buf.toString()) as typeof reply;
    } catch {
      return;
    }
    const id = String(reply.id);
    const at = pending.get(id);
    if (at !== undefined) {
      pending.delete(id);
      if (latencies.length < 200_000) latencies.push(performance.now() - at);
    }
    if (reply.code === 200) stats.accepted++;
    else {
      stats.refused++;
      if (stats.lastRefusals.length < 5) stats.lastRefusals.push(`${String(reply.code)}: ${String(reply.message ?? '')}`);
    }
  }

  function publish(sim: Sim): void {
    const id = String(nextId++);
    const now = Date.now();
    if (o.replies) pending.set(id, performance.now());
    // JSON.stringify({ id, version, params, method }), written out (see PointGenerator.nextJson).
    let params: string;
    if (batch > 1) {
      params = '[';
      for (let i = 0; i < batch; i++) params += `${i ? ',' : ''}{"measurepoints":${sim.points.nextJson()},"time":${now - (batch - 1 - i)}}`;
      params += ']';
    } else params = `{"measurepoints":${sim.points.nextJson()},"time":${now}}`;
    const payload = `{"id":"${id}","version":"1.0","params":${params},"method":"${batch > 1 ? 'thing.measurepoint.post.batch' : 'thing.measurepoint.post'}"}`;
    // QoS 0 needs no state in the client: the packet goes straight to the socket (see raw-publish.ts).
    const stream = sim.client.stream;
    if (sim.client.connected && stream.writable) stream.write(sim.raw.packet(payload));
    else sim.client.publish(sim.topic, payload, { qos: 0 });
    stats.publishes++;
    stats.sent += batch;
  }

  return {
    async connect() {
      const concurrency = Math.max(1, o.connectConcurrency ?? 50);
      let next = 0;
      const worker = async () => {
        while (next < o.devices.length) {
          const i = next++;
          sims[i] = await connectOne(o.devices[i] as SimulatedDevice, i);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, o.devices.length) }, worker));
    },
    start() {
      if (ticker || sims.length === 0) return;
      const started = performance.now();
      const perSecond = (o.rate * sims.length) / batch;
      let done = 0;
      ticker = setInterval(() => {
        const owed = Math.floor(((performance.now() - started) / 1000) * perSecond) - done;
        // A generator that falls behind drops what it owes beyond a quarter second's worth rather than
        // sending it in one burst that would stall its own event loop; stats() says what was sent.
        const n = Math.min(owed, Math.ceil(perSecond / 4));
        for (let i = 0; i < n; i++) {
          publish(sims[cursor] as Sim);
          cursor = (cursor + 1) % sims.length;
        }
        done += owed;
      }, 5);
    },
    stats() {
      const sorted = [...latencies].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      return {
        connected: sims.filter((s) => s.client.connected).length,
        ...stats,
        lastRefusals: [...stats.lastRefusals],
        ...(p50 !== undefined ? { p50 } : {}),
        ...(p99 !== undefined ? { p99 } : {}),
      };
    },
    async drain(timeoutMs) {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      const until = performance.now() + timeoutMs;
      while (o.replies && pending.size > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      // Forced: a fleet that outran its broker has megabytes queued that need not be flushed.
      await Promise.all(sims.map((s) => s.client.endAsync(true).catch(() => undefined)));
      sims.length = 0;
    },
  };
}
