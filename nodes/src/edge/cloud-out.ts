import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { DEVICE_POST_CHANNEL, edgeUplinkKey } from './services.js';

export const cloudOutNode = defineNode({
  type: 'cloud out',
  category: 'device',
  inputs: 1,
  outputs: 0,
  config: z.object({
    name: z.string().default(''),
    channel: z
      .string()
      .max(200)
      .refine(
        (c) => !c.startsWith('$'),
        `channels starting with "$" are reserved (${DEVICE_POST_CHANNEL} is device post's)`,
      )
      .default(''),
  }),
  label: 'cloud out',
  icon: 'bridge.svg',
  color: '#a6bbcf',
  help: `Sends messages from an edge to the cloud. Runs on an edge agent only.

Every message is first written to the edge's disk-backed queue, so nothing is lost while the
link to the server is down; the server acknowledges what it stored and the edge then drops it.
After a reconnect, live messages go first and the backlog follows at a bounded rate, marked as
back-fill. In the cloud, an **edge in** node receives them.

**channel**: a name the edge in node can filter on (default: the node's name or id).`,
  create(ctx, config) {
    const uplink = ctx.service(edgeUplinkKey);
    if (!uplink) throw new Error('cloud out runs on an edge agent only (no uplink in this runtime)');
    const named = config.channel || config.name || ctx.id;
    // A node named like the reserved channel must not have its messages taken for device posts.
    const channel = named === DEVICE_POST_CHANNEL ? named.slice(1) : named;
    return {
      async input(msg, _send, done) {
        // done() only after the message is on disk: the runtime then slows the sources, not memory.
        await uplink.enqueue(channel, msg);
        done();
      },
    };
  },
});
