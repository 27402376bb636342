import { z } from 'zod';
import { defineNode, generateId } from '@gridflow/runtime';
import { deviceHubKey, deviceMessageKinds, type DeviceMessage } from './hub.js';

/** A list property: an array, or text separated by commas, spaces or new lines (as typed in a form). */
export const stringList = z.preprocess(
  (v) => (v === undefined || v === null ? [] : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.string().min(1)),
);

const kindList = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? ['measurepoints'] : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.enum(deviceMessageKinds)).min(1, 'choose at least one message kind'),
);

const deviceInConfig = z.object({
  name: z.string().default(''),
  /** Product keys to listen to; empty for all. */
  products: stringList,
  /** Device keys (or productKey/deviceKey) to listen to; empty for all. */
  devices: stringList,
  /** Which device messages to emit. */
  kinds: kindList,
  /** Back-filled (resumed) measure points: include them, leave them out, or only them. */
  backfill: z.enum(['include', 'exclude', 'only']).default('include'),
});

/**
 * Messages from devices connected to the server's broker. One message out per device message:
 * `msg.payload` is `{ kind, productKey, deviceKey, time, points, backfill, ... }`, `msg.topic`
 * is `productKey/deviceKey`, and `msg.kind` / `msg.backfill` are copied to the top level for
 * switch and alert nodes. When the flows fall behind, the node pauses the broker's reading from
 * devices (TCP back-pressure) instead of queueing without bound.
 */
export const deviceInNode = defineNode({
  type: 'device in',
  version: 1,
  category: 'device',
  inputs: 0,
  outputs: 1,
  label: 'device in',
  paletteLabel: 'device in',
  icon: 'bridge.svg',
  color: '#a6bbcf',
  outputLabels: ['device messages'],
  config: deviceInConfig,
  help: `Emits messages from devices connected to Gridflow's device broker (EnOS device protocol).

- **products / devices**: filter by product key and device key (empty: all).
- **kinds**: \`measurepoints\` (reported points), \`event\`, \`lifecycle\` (online / offline),
  \`attributes\` (changed by the device), \`reply\` (replies to commands).
- **backfill**: resumed (back-filled) points are flagged \`msg.backfill = true\`; alert nodes skip them.

\`msg.payload\` for measure points: \`{ kind, productKey, deviceKey, points: { id: value }, time, backfill, quality? }\`.`,
  create(ctx, c) {
    const hub = ctx.service(deviceHubKey);
    if (!hub) {
      ctx.status({ fill: 'red', shape: 'ring', text: 'no device broker on this host' });
      return {};
    }
    let count = 0;
    const { backfill } = c;
    const onMessage = (m: DeviceMessage) => {
      if (m.kind === 'measurepoints') {
        if (backfill === 'exclude' && m.backfill) return;
        if (backfill === 'only' && !m.backfill) return;
      }
      count++;
      // Two literal shapes rather than a spread: this runs for every device message.
      const topic = `${m.productKey}/${m.deviceKey}`;
      if (m.kind === 'measurepoints') ctx.send({ _msgid: generateId(), topic, kind: m.kind, backfill: m.backfill, payload: m });
      else ctx.send({ _msgid: generateId(), topic, kind: m.kind, payload: m });
    };
    const sub = hub.subscribe({ productKeys: c.products, deviceKeys: c.devices, kinds: c.kinds }, onMessage);
    if (ctx.flowControl.paused) sub.pause();
    const off = ctx.flowControl.onChange((paused) => (paused ? sub.pause() : sub.resume()));
    ctx.status({ fill: 'green', shape: 'dot', text: 'listening' });
    // The count in the status, at most once a second, so the status is no per-message cost.
    let shown = 0;
    ctx.timers.setInterval(() => {
      if (count === shown) return;
      shown = count;
      ctx.status({ fill: 'green', shape: 'dot', text: `${count} messages` });
    }, 1000);
    return {
      close() {
        off();
        sub.close();
      },
    };
  },
});
