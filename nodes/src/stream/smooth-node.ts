import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { keyedSetup } from './keyed-node.js';
import { compileMsgPath, compileMsgSetter, toNumber } from './message-access.js';
import { createEwma, createRollingWindow } from './rolling.js';
import { keyFields, whole } from './stream-config.js';

const smoothConfig = z.object({
  name: z.string().default(''),
  /** Moving average of the last `count` values, or an exponentially weighted average. */
  method: z.enum(['mean', 'ewma']).default('mean'),
  count: whole(10),
  /** EWMA weight of the newest value, 0 < alpha <= 1: higher follows faster. */
  alpha: z.preprocess(
    (v) => (v === '' || v == null ? 0.3 : typeof v === 'string' ? Number(v) : v),
    z.number().gt(0).max(1),
  ),
  /** The value read and replaced by its smoothed value. */
  property: z.string().default('payload'),
  ...keyFields,
});

type SmoothConfig = z.infer<typeof smoothConfig>;

/** Takes the next value, gives the smoothed one. */
interface Smoother {
  next(x: number): number;
}

function createSmooth(ctx: NodeContext, c: SmoothConfig) {
  const get = compileMsgPath(c.property);
  const set = compileMsgSetter(c.property);
  const { keyOf, keys } = keyedSetup<Smoother>(ctx, c);
  const init: () => Smoother =
    c.method === 'mean'
      ? () => {
          const w = createRollingWindow(c.count);
          return { next: (x) => (w.push(x), w.mean()) };
        }
      : () => {
          const e = createEwma(c.alpha);
          return { next: (x) => (e.update(x), e.mean) };
        };
  return {
    input(msg: Msg, send: (m: Msg) => void, done: Done) {
      const raw = get(msg);
      const x = toNumber(raw);
      const key = keyOf(msg);
      if (!Number.isFinite(x)) {
        done(new Error(`smooth ${ctx.id}: msg.${c.property} of key "${key}" is not a number (${String(raw)})`));
        return;
      }
      set(msg, keys.use(key, init).next(x));
      send(msg);
      done();
    },
  };
}

export const smoothNode = defineNode({
  type: 'smooth',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 1,
  label: 'smooth',
  paletteLabel: 'smooth',
  icon: 'font-awesome/fa-line-chart',
  color: '#9fd3c7',
  config: smoothConfig,
  help: `Replaces a value with its smoothed value, per key: the moving average of the last *count*
values (until *count* values arrived, of those so far), or an exponentially weighted moving average
(EWMA) with weight *alpha* for the newest value. Every message passes. Values that are not numbers
are errors. Keys: \`msg.topic\` unless set otherwise, at most *max keys*.`,
  create: (ctx, config) => createSmooth(ctx, config),
});
