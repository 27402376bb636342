import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish } from '../../shared/typed-value.js';

/** null: every node of the flow; 'group': nodes in the catch node's group; a list: those node ids. */
export const routingScope = z
  .union([z.literal('group'), z.array(z.string())])
  .nullable()
  .default(null);

/**
 * The runtime finds catch nodes by role and enqueues the error message (with msg.error) to them;
 * the node itself only passes it on.
 */
export const catchNode = defineNode({
  type: 'catch',
  category: 'core',
  role: 'catch',
  inputs: 0,
  outputs: 1,
  config: z.object({
    name: z.string().default(''),
    scope: routingScope,
    /** Only errors no other catch node took. */
    uncaught: boolish(false),
  }),
  label: 'catch',
  icon: 'alert.svg',
  color: '#e49191',
  help: `Catches errors thrown by nodes on the same tab.

**Outputs**: the message that caused the error, with \`error.message\`, \`error.source.id\`, \`error.source.type\`
and \`error.source.name\`. A message that already had an \`error\` property keeps it as \`_error\`.

By default it catches errors from every node on the tab; it can be limited to some nodes, to the nodes of
its group, or to errors no other catch node handled. An error inside a subflow goes to catch nodes in the
subflow first, then to the tab the subflow instance is on.`,
  create: () => ({ input: (msg, send) => send(msg) }),
});
