import { defineNode } from '@gridflow/runtime';
import { delayConfig } from './delay-config.js';
import { createTimedDelay } from './delay-timed.js';
import { createRateLimit } from './rate-limit.js';
import { createTopicRate } from './topic-rate.js';

export const delayNode = defineNode({
  type: 'delay',
  category: 'core',
  keepsEmptyName: true,
  inputs: 1,
  outputs: (raw) => (Number(raw['outputs']) === 2 ? 2 : 1),
  config: delayConfig,
  label: 'delay',
  icon: 'timer.svg',
  color: '#E6E0F8',
  outputLabels: ['', 'dropped'],
  help: `Delays each message, or limits the rate at which messages pass.

**Delay**: a fixed time, a random time in a range, or the time in \`msg.delay\` (ms). Each message is
delayed on its own, from its arrival.

**Rate limit**: for all messages (queued and released evenly over the period, or intermediate ones
dropped, optionally to a second output), or per \`msg.topic\`, keeping only the latest message of each
topic and releasing either the next topic or all topics each interval.

**Inputs**: \`reset\` clears held messages without sending; \`flush\` sends them now (a number: that many);
\`toFront\` puts a queued message first; \`rate\` (ms) overrides the rate when allowed. The runtime
setting \`nodeMessageBufferMaxLength\` limits the rate-limit queue.`,
  create(ctx, c) {
    if (c.pauseType === 'rate') return createRateLimit(ctx, c);
    if (c.pauseType === 'queue' || c.pauseType === 'timed') return createTopicRate(ctx, c);
    return createTimedDelay(ctx, c);
  },
});
