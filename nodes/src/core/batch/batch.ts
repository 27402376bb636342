import { defineNode } from '@gridflow/runtime';
import { batchConfig } from './batch-config.js';
import { createConcat } from './batch-concat.js';
import { createCountBatch, createIntervalBatch } from './batch-modes.js';

export const batchNode = defineNode({
  type: 'batch',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: batchConfig,
  label: 'batch',
  icon: 'batch.svg',
  color: '#E2D96E',
  help: `Creates sequences of messages (with \`msg.parts\`) by rules:

- **Number of messages**: groups of a given length; *overlap* repeats the last messages of one group at the start of the next.
- **Time interval**: the messages that arrive in each interval, optionally an empty message when none did.
- **Concatenate sequences**: joins incoming sequences (\`msg.parts\`) of the listed topics, in that order.

\`msg.reset\` discards the messages held. The runtime setting \`nodeMessageBufferMaxLength\` limits how many are held.`,
  create(ctx, c) {
    if (c.mode === 'interval') return createIntervalBatch(ctx, c);
    if (c.mode === 'concat') return createConcat(ctx, c);
    return createCountBatch(ctx, c);
  },
});
