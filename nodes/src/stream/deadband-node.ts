import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { keyedSetup } from './keyed-node.js';
import { compileAccessor, toNumber } from './message-access.js';
import { keyFields, nonNegative, valueFields } from './stream-config.js';
import { timeUnitSchema, toMs } from './time-units.js';

const deadbandConfig = z.object({
  name: z.string().default(''),
  ...valueFields,
  /** Absolute: a change of at least `band`; percent: at least `band` % of the last value sent. */
  mode: z.enum(['absolute', 'percent']).default('absolute'),
  band: nonNegative(0),
  /** Send the value anyway when nothing passed for this long (0: never), so a flat signal still reports. */
  maxInterval: nonNegative(0),
  units: timeUnitSchema.default('seconds'),
  ...keyFields,
});

type DeadbandConfig = z.infer<typeof deadbandConfig>;

interface Last {
  /** NaN until the key's first value. */
  value: number;
  time: number;
}

const newLast = (): Last => ({ value: NaN, time: 0 });

/** True when `value` moved far enough from the last value sent to be sent. */
export function outsideBand(last: number, value: number, band: number, mode: 'absolute' | 'percent'): boolean {
  const delta = Math.abs(value - last);
  const limit = mode === 'absolute' ? band : (Math.abs(last) * band) / 100;
  return limit === 0 ? delta !== 0 : delta >= limit;
}

function createDeadband(ctx: NodeContext, c: DeadbandConfig) {
  const valueOf = compileAccessor(ctx, c.property, c.propertyType);
  const heartbeatMs = toMs(c.maxInterval, c.units);
  const { keyOf, keys } = keyedSetup<Last>(ctx, c);
  return {
    input(msg: Msg, send: (m: Msg) => void, done: Done) {
      const raw = valueOf(msg);
      const value = toNumber(raw);
      const key = keyOf(msg);
      if (Number.isNaN(value)) {
        done(
          new Error(
            `deadband ${ctx.id}: value of key "${key}" is not a number (${JSON.stringify(raw) ?? String(raw)})`,
          ),
        );
        return;
      }
      const now = Date.now();
      const last = keys.use(key, newLast);
      if (
        Number.isNaN(last.value) ||
        outsideBand(last.value, value, c.band, c.mode) ||
        (heartbeatMs > 0 && now - last.time >= heartbeatMs)
      ) {
        last.value = value;
        last.time = now;
        send(msg);
      }
      done();
    },
  };
}

export const deadbandNode = defineNode({
  type: 'deadband',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 1,
  label: 'deadband',
  paletteLabel: 'deadband',
  icon: 'font-awesome/fa-compress',
  color: '#9fd3c7',
  config: deadbandConfig,
  help: `Passes a value only when it moved at least *band* from the last value **sent** for its key
(so a slow drift still gets through), in absolute units or percent of that last value. A band of 0
passes every change. The first value of a key always passes.

*Max interval* sends a value anyway when nothing passed for that long. Values that are not
numbers are errors (to catch nodes). Keys: \`msg.topic\` unless set otherwise, at most *max keys*.`,
  create: (ctx, config) => createDeadband(ctx, config),
});
