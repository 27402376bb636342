import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';

/** Messages arrive from link out and link call nodes through `ctx.links.deliver`; this passes them on. */
export const linkInNode = defineNode({
  type: 'link in',
  category: 'core',
  role: 'link-in',
  inputs: 0,
  outputs: 1,
  config: z.object({
    name: z.string().default(''),
    /** The link out nodes wired to this one (the editor keeps both ends in step). */
    links: z.array(z.string()).default([]),
  }),
  label: 'link in',
  icon: 'link-out.svg',
  color: '#ddd',
  help: `Creates a virtual wire from **link out** nodes, on any tab, or the entry of a flow that **link call** nodes call.

Once connected, the nodes behave as if wired together. Links cannot go into or out of a subflow.`,
  create: () => ({ input: (msg, send) => send(msg) }),
});
