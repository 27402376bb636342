import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish } from '../../shared/typed-value.js';

/**
 * When a node in `scope` calls done() for a message, the runtime enqueues a copy (with msg.complete)
 * to this node, which passes it on.
 */
export const completeNode = defineNode({
  type: 'complete',
  category: 'core',
  role: 'complete',
  inputs: 0,
  outputs: 1,
  config: z.object({
    name: z.string().default(''),
    scope: z.array(z.string()).default([]),
    // Stored by Node-RED's editor though the runtime never reads it.
    uncaught: boolish(false),
  }),
  label: 'complete',
  icon: 'alert.svg',
  color: '#c0edc0',
  help: `Triggers a flow when one of the selected nodes finishes handling a message.

**Outputs**: the message the node completed, with \`complete.source\` (\`id\`, \`type\`, \`name\`).

Useful after nodes with no output, such as a database write. It only listens to the nodes it is
configured for; there is no "all nodes" mode. Nodes it is wired to are ignored, so it cannot loop.`,
  create: () => ({ input: (msg, send) => send(msg) }),
});
