import { z } from 'zod';
import { defineNode, type Msg } from '@gridflow/runtime';
import { stringish } from '../shared/typed-value.js';
import { DEVICE_POST_CHANNEL, edgeUplinkKey, type DevicePost } from './services.js';

const config = z.object({
  name: z.string().default(''),
  /** points: measure points; event: an event with its outputs; attributes: attribute values. */
  kind: z.enum(['points', 'event', 'attributes']).default('points'),
  /** The device; empty to take msg.productKey / msg.deviceKey (or msg.device "productKey/deviceKey"). */
  productKey: stringish(''),
  deviceKey: stringish(''),
  /** For a single value (opcua in, modbus read): the point it is; empty to take msg.point or the topic map. */
  point: stringish(''),
  /** Lines `topic = point`: which point a single value is, by msg.topic (an OPC UA node id, a Modbus read's name). */
  topicMap: stringish(''),
  /** Event identifier (kind event); empty to take msg.event. */
  event: stringish(''),
});
type Config = z.infer<typeof config>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `topic = point` lines into a map; the last `=` separates, since OPC UA node ids contain `=`. */
export function parseTopicMap(lines: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines.split('\n')) {
    const at = line.lastIndexOf('=');
    if (at <= 0) continue;
    const topic = line.slice(0, at).trim();
    const point = line.slice(at + 1).trim();
    if (topic && point) map.set(topic, point);
  }
  return map;
}

/** Epoch ms of the data: `payload.time`, else `msg.time`, else the source timestamp (OPC UA), else now. */
function timeOf(msg: Msg, payload: unknown): number {
  for (const v of [isObject(payload) ? payload['time'] : undefined, msg['time'], msg['sourceTimestamp']]) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
    if (typeof v === 'string' && v !== '' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  }
  return Date.now();
}

/**
 * Builds the queued post from a message, or throws saying what is missing. Time is taken on the
 * edge, so data that waits in the queue keeps the time it was measured.
 */
export function buildDevicePost(msg: Msg, c: Config, topics: Map<string, string>): DevicePost {
  let productKey = c.productKey || text(msg['productKey']);
  let deviceKey = c.deviceKey || text(msg['deviceKey']);
  const device = text(msg['device']);
  if ((!productKey || !deviceKey) && device.includes('/')) {
    const [pk, dk] = device.split('/');
    productKey ||= pk ?? '';
    deviceKey ||= dk ?? '';
  }
  if (!productKey || !deviceKey)
    throw new Error('no device: set productKey and deviceKey on the node, or msg.productKey and msg.deviceKey');
  const payload = msg.payload;
  const time = timeOf(msg, payload);
  if (c.kind === 'attributes') {
    if (!isObject(payload)) throw new Error('msg.payload must be an object of attribute values');
    return { kind: 'attributes', productKey, deviceKey, params: { attributes: payload } };
  }
  if (c.kind === 'event') {
    const event = c.event || text(msg['event']);
    if (!event) throw new Error('no event: set the event on the node or msg.event');
    if (payload !== undefined && !isObject(payload))
      throw new Error(`msg.payload must be an object of the outputs of event "${event}"`);
    return { kind: 'event', productKey, deviceKey, event, params: { events: payload ?? {}, time } };
  }
  let points: Record<string, unknown>;
  if (isObject(payload) && isObject(payload['points'])) points = payload['points'];
  else if (isObject(payload)) points = payload;
  else {
    const point = c.point || text(msg['point']) || topics.get(text(msg.topic)) || '';
    if (!point) {
      throw new Error(
        `a single value needs a point: set point on the node, msg.point, or map topic "${text(msg.topic)}" in the topic map`,
      );
    }
    points = { [point]: payload };
  }
  if (Object.keys(points).length === 0) throw new Error('msg.payload has no measure points');
  return { kind: 'points', productKey, deviceKey, params: { measurepoints: points, time } };
}

export const devicePostNode = defineNode({
  type: 'device post',
  category: 'device',
  inputs: 1,
  outputs: 0,
  config,
  label: 'device post',
  paletteLabel: 'device post',
  icon: 'bridge.svg',
  color: '#a6bbcf',
  help: `Posts device data from an edge as one of the cloud's registered devices: the edge acts as
the gateway device it is bound to (Edges page, or \`gateway\` when enrolling). Runs on an edge agent only.

- **points**: measure points. \`msg.payload\` is \`{ point: value }\`, or \`{ points: { point: value }, time }\`;
  a single value (what **opcua in** and **modbus read** send) needs **point**, \`msg.point\`, or a line
  \`topic = point\` in the **topic map** (e.g. \`ns=1;s=Temp = temp\`).
- **event**: an event (node setting or \`msg.event\`) with \`msg.payload\` as its outputs.
- **attributes**: attribute values \`msg.payload = { attribute: value }\`.

The device is the node's product and device key, or \`msg.productKey\` / \`msg.deviceKey\` (or
\`msg.device\` as \`productKey/deviceKey\`); it must be the edge's gateway device or one of its
sub-devices. The time is \`payload.time\`, \`msg.time\`, the OPC UA source timestamp, or when the
message arrived.

Posts go through the same disk-backed queue as **cloud out**, so nothing is lost offline. The
cloud checks them against the device's thing model as if the device had posted over MQTT: they
update the device's latest values and reach **device in** nodes and storage. Data queued while
the link was down arrives as back-fill (EnOS measure point *resume*): stored, never alerted on.
A refused post (a device outside the gateway's topology, an unknown point, a wrong type) shows as
a red status on this node with the reason, and is counted per edge (\`devicePosts\` in \`GET /api/edges\`).`,
  create(ctx, c) {
    const uplink = ctx.service(edgeUplinkKey);
    if (!uplink) throw new Error('device post runs on an edge agent only (no uplink in this runtime)');
    const topics = parseTopicMap(c.topicMap);
    let failing = false;
    return {
      async input(msg, _send, done) {
        let post: DevicePost;
        try {
          post = buildDevicePost(msg, c, topics);
        } catch (err) {
          failing = true;
          ctx.status({ fill: 'red', shape: 'ring', text: (err as Error).message.slice(0, 80) });
          return done(err as Error);
        }
        if (failing) {
          failing = false;
          ctx.status({});
        }
        // done() only once it is on disk, as cloud out: the runtime then slows the sources.
        await uplink.enqueue(DEVICE_POST_CHANNEL, {
          _msgid: msg._msgid,
          ...post,
          nodeId: ctx.id,
          ...(ctx.z ? { z: ctx.z } : {}),
        });
        done();
      },
    };
  },
});
