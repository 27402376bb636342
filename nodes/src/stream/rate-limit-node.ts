import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { keyedSetup } from './keyed-node.js';
import { keyFields, whole } from './stream-config.js';
import { timeUnitSchema, toMs } from './time-units.js';

const rateLimitConfig = z.object({
  name: z.string().default(''),
  /** Messages allowed per interval, per key. */
  rate: whole(1),
  /** The interval, in `units`. */
  interval: z.preprocess(
    (v) => (v === '' || v == null ? 1 : typeof v === 'string' ? Number(v) : v),
    z.number().positive(),
  ),
  units: timeUnitSchema.default('seconds'),
  /** How many messages may pass at once after a quiet spell; blank means `rate`. */
  burst: z.preprocess(
    (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v),
    z.number().int().min(1).optional(),
  ),
  /** Over the limit: drop (to the second output) or queue and send later. */
  mode: z.enum(['drop', 'queue']).default('drop'),
  /** Queue mode: messages held per key; beyond it new messages are dropped. */
  maxQueue: whole(100),
  ...keyFields,
});

type RateLimitConfig = z.infer<typeof rateLimitConfig>;

interface Queued {
  msg: Msg;
  done: Done;
}

interface Bucket {
  tokens: number;
  last: number;
  queue: Queued[];
  timer: NodeJS.Timeout | undefined;
}

function createRateLimit(ctx: NodeContext, c: RateLimitConfig) {
  const periodMs = toMs(c.interval, c.units) / c.rate; // one token per period
  const burst = c.burst ?? c.rate;
  let dropped = 0;
  const drop = (q: Queued) => {
    dropped++;
    ctx.send([null, q.msg]);
    q.done();
  };
  const { keyOf, keys } = keyedSetup<Bucket>(ctx, c, {
    onEvict(_key, b) {
      ctx.timers.clearTimeout(b.timer);
      for (const q of b.queue) drop(q);
    },
    status: () => (dropped ? `${dropped} dropped` : ''),
  });
  const newBucket = (): Bucket => ({ tokens: burst, last: Date.now(), queue: [], timer: undefined });
  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(burst, b.tokens + (now - b.last) / periodMs);
    b.last = now;
  };
  const release = (b: Bucket) => {
    b.timer = undefined;
    refill(b, Date.now());
    while (b.queue.length && b.tokens >= 1) {
      b.tokens--;
      const q = b.queue.shift() as Queued;
      ctx.send(q.msg);
      q.done();
    }
    if (b.queue.length)
      b.timer = ctx.timers.setTimeout(() => release(b), Math.max(1, Math.ceil((1 - b.tokens) * periodMs)));
  };

  return {
    input(msg: Msg, send: (m: Msg | (Msg | null)[]) => void, done: Done) {
      const b = keys.use(keyOf(msg), newBucket);
      refill(b, Date.now());
      if (b.queue.length === 0 && b.tokens >= 1) {
        b.tokens--;
        send(msg);
        done();
        return;
      }
      if (c.mode === 'drop' || b.queue.length >= c.maxQueue) {
        drop({ msg, done });
        return;
      }
      b.queue.push({ msg, done });
      b.timer ??= ctx.timers.setTimeout(() => release(b), Math.max(1, Math.ceil((1 - b.tokens) * periodMs)));
    },
    close() {
      // Queued messages are finished, not lost silently: they complete without being sent.
      for (const [, b] of keys.entries()) for (const q of b.queue) q.done();
      keys.clear();
    },
  };
}

export const rateLimitNode = defineNode({
  type: 'rate limit',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 2,
  outputLabels: ['passed', 'dropped'],
  label: 'rate limit',
  paletteLabel: 'rate limit',
  icon: 'font-awesome/fa-tachometer',
  color: '#9fd3c7',
  config: rateLimitConfig,
  help: `Lets at most *rate* messages per *interval* through **per key** (a token bucket that holds up to
*burst* messages after a quiet spell).

Over the limit, *drop* sends the message to the second output; *queue* holds it and sends it as
soon as the key may send again, at most *max queue* per key (beyond that, new messages go to the
second output). Keys: \`msg.topic\` unless set otherwise, at most *max keys*; an evicted key's
queue goes to the second output.`,
  create: (ctx, config) => createRateLimit(ctx, config),
});
