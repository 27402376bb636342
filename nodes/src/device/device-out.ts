import { z } from 'zod';
import { defineNode, type Msg } from '@gridflow/runtime';
import { numberish, stringish } from '../shared/typed-value.js';
import { deviceHubKey, type DeviceRef } from './hub.js';

const deviceOutConfig = z.object({
  name: z.string().default(''),
  /** invoke: call a service; set-points: thing.service.measurepoint.set; set-attributes: change registry values. */
  action: z.enum(['invoke', 'set-points', 'set-attributes']).default('invoke'),
  /** Target; empty to take msg.productKey / msg.deviceKey (or msg.topic "productKey/deviceKey"). */
  productKey: stringish(''),
  deviceKey: stringish(''),
  /** Service identifier for invoke; empty to take msg.service. */
  service: stringish(''),
  /** Seconds to wait for the device's reply. */
  timeout: numberish(10).pipe(z.number().positive().max(300)),
});

function targetOf(msg: Msg, c: { productKey: string; deviceKey: string }): DeviceRef {
  let productKey = c.productKey || (typeof msg['productKey'] === 'string' ? msg['productKey'] : '');
  let deviceKey = c.deviceKey || (typeof msg['deviceKey'] === 'string' ? msg['deviceKey'] : '');
  if ((!productKey || !deviceKey) && typeof msg.topic === 'string' && msg.topic.includes('/')) {
    const [pk, dk] = msg.topic.split('/');
    productKey ||= pk ?? '';
    deviceKey ||= dk ?? '';
  }
  if (!productKey || !deviceKey) throw new Error('no target device: set productKey and deviceKey on the node, in msg, or msg.topic as "productKey/deviceKey"');
  return { productKey, deviceKey };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Commands to devices through the server's broker. The device's reply (`{ id, code, data,
 * message }`) goes out as `msg.payload`; a device that is offline, a bad parameter or no reply
 * in time is an error that reaches catch nodes.
 */
export const deviceOutNode = defineNode({
  type: 'device out',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'device out',
  paletteLabel: 'device out',
  icon: 'bridge.svg',
  color: '#a6bbcf',
  outputLabels: ['reply'],
  config: deviceOutConfig,
  help: `Sends a command to a device and outputs its reply.

- **invoke**: calls the service (node setting or \`msg.service\`) with \`msg.payload\` as its input parameters.
- **set-points**: sets measure points \`msg.payload = { point: value }\` on the device.
- **set-attributes**: changes attribute values in the registry; outputs all attribute values.

The target is the node's product and device key, or \`msg.productKey\` / \`msg.deviceKey\`, or
\`msg.topic\` as \`productKey/deviceKey\` (what \`device in\` sends). The reply is \`msg.payload\`
(\`code\` 200 is success); timeouts and offline devices are errors for catch nodes.`,
  create(ctx, c) {
    const hub = ctx.service(deviceHubKey);
    if (!hub) ctx.status({ fill: 'red', shape: 'ring', text: 'no device broker on this host' });
    const timeoutMs = c.timeout * 1000;
    let pending = 0;
    const showPending = () => ctx.status(pending ? { fill: 'blue', shape: 'ring', text: `waiting for ${pending}` } : {});
    return {
      async input(msg, send, done) {
        if (!hub) return done(new Error('no device broker on this host'));
        try {
          const target = targetOf(msg, c);
          const payload = msg.payload ?? {};
          if (!isObject(payload)) throw new Error(`msg.payload must be an object of ${c.action === 'invoke' ? 'service parameters' : c.action === 'set-points' ? 'points' : 'attributes'}`);
          pending++;
          showPending();
          try {
            if (c.action === 'set-attributes') {
              msg.payload = await hub.setAttributes(target, payload);
            } else if (c.action === 'set-points') {
              msg.payload = await hub.setMeasurePoints(target, payload, { timeoutMs });
            } else {
              const service = c.service || (typeof msg['service'] === 'string' ? msg['service'] : '');
              if (!service) throw new Error('no service: set it on the node or in msg.service');
              msg.payload = await hub.invokeService(target, service, payload, { timeoutMs });
            }
          } finally {
            pending--;
            showPending();
          }
          msg.productKey = target.productKey;
          msg.deviceKey = target.deviceKey;
          send(msg);
          done();
        } catch (err) {
          done(err);
        }
      },
    };
  },
});
