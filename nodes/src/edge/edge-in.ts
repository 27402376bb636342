import { z } from 'zod';
import { defineNode, generateId } from '@gridflow/runtime';
import { edgeHubKey } from './services.js';

export const edgeInNode = defineNode({
  type: 'edge in',
  category: 'device',
  inputs: 0,
  outputs: 1,
  config: z.object({
    name: z.string().default(''),
    /** Edge ids or names to accept; empty accepts all. */
    edges: z.array(z.string()).default([]),
    channel: z.string().default(''),
    /** Whether back-filled messages (sent after a disconnect) are passed on. */
    backfill: z.boolean().default(true),
  }),
  label: 'edge in',
  icon: 'bridge.svg',
  color: '#a6bbcf',
  help: `Receives messages that edge agents send with **cloud out**. Runs in the cloud server.

Each message arrives exactly once, with \`msg.edge\` = \`{ id, name, channel, seq, time, backfill }\`;
back-filled ones also carry \`msg.backfill = true\`, so threshold alerts never raise on them.
Filter by edges (ids or names) and by channel; back-filled messages can be left out.
Device data sent with **device post** does not come here: it arrives as the device's own data (**device in**).`,
  create(ctx, config) {
    const hub = ctx.service(edgeHubKey);
    if (!hub) throw new Error('edge in runs in the Gridflow server only (no edge hub in this runtime)');
    const off = hub.subscribe((m) => {
      if (config.edges.length && !config.edges.includes(m.edgeId) && !config.edges.includes(m.edgeName)) return;
      if (config.channel && config.channel !== m.channel) return;
      if (m.backfill && !config.backfill) return;
      ctx.send({
        ...m.msg,
        _msgid: typeof m.msg['_msgid'] === 'string' ? m.msg['_msgid'] : generateId(),
        edge: { id: m.edgeId, name: m.edgeName, channel: m.channel, seq: m.seq, time: m.time, backfill: m.backfill },
        // The mark stream nodes (threshold alert) read, as on device back-fill: stored, never alerted on.
        ...(m.backfill ? { backfill: true } : {}),
      });
    });
    return { close: () => off() };
  },
});
