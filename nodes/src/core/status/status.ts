import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { routingScope } from '../catch/catch.js';

/** The runtime enqueues `{ status: { fill, shape, text, source } }` to status nodes in scope; this passes it on. */
export const statusNode = defineNode({
  type: 'status',
  category: 'core',
  role: 'status',
  inputs: 0,
  outputs: 1,
  config: z.object({ name: z.string().default(''), scope: routingScope }),
  label: 'status',
  icon: 'status.svg',
  color: '#94c1d0',
  help: `Reports status changes of other nodes on the same tab.

**Outputs**: \`status.text\`, \`status.fill\`, \`status.shape\` and \`status.source\` (\`id\`, \`type\`, \`name\`).
There is no \`payload\`.

By default it reports every node on the tab; it can be limited to some nodes or to its group.`,
  create: () => ({ input: (msg, send) => send(msg) }),
});
