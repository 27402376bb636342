import { z } from 'zod';
import { cloneMessage, defineNode, type Msg, type NodeContext } from '@gridflow/runtime';
import type { LinkCallApi, LinkSourceEntry } from './link-call.js';

function isSourceEntry(v: unknown): v is LinkSourceEntry {
  return v !== null && typeof v === 'object' && typeof (v as LinkSourceEntry).node === 'string';
}

/** Return mode: hands the message back to the link call node on top of msg._linkSource. */
function returnToCaller(ctx: NodeContext, msg: Msg): void {
  const stack = msg['_linkSource'];
  const entry = Array.isArray(stack) && stack.length > 0 ? (stack.pop() as unknown) : undefined;
  // The caller is found through its handler api, the way a config node's api is found.
  const caller = isSourceEntry(entry) ? ctx.configNode<Partial<LinkCallApi>>(entry.node) : undefined;
  if (isSourceEntry(entry) && typeof caller?.returnLinkMessage === 'function') caller.returnLinkMessage(entry.id, msg);
  else ctx.warn('Missing return node information');
}

export const linkOutNode = defineNode({
  type: 'link out',
  category: 'core',
  role: 'link-out',
  inputs: 1,
  outputs: 0,
  config: z.object({
    name: z.string().default(''),
    mode: z.enum(['link', 'return']).default('link'),
    /** Ids of the link in nodes to send to (mode "link"). */
    links: z.array(z.string()).default([]),
  }),
  label: 'link out',
  icon: 'link-out.svg',
  color: '#ddd',
  help: `Creates a virtual wire to **link in** nodes on any tab.

- **Send to all connected link nodes**: every linked link in node gets the message.
- **Return to calling link node**: ends a flow called by a **link call** node; the message goes back to that node.

Links cannot go into or out of a subflow.`,
  create(ctx, config) {
    const event = `node:${ctx.id}`;
    return {
      input(msg, _send, done) {
        msg['_event'] = event;
        if (config.mode === 'return') {
          returnToCaller(ctx, msg);
        } else {
          // Node-RED's fan-out rule: the first link in gets the message itself, the others copies.
          let delivered = false;
          for (const target of config.links) {
            if (ctx.links.deliver(target, delivered ? cloneMessage(msg) : msg)) delivered = true;
          }
        }
        done();
      },
    };
  },
});
