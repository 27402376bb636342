import { z } from 'zod';
import { boolish, numberish } from '../../shared/typed-value.js';
import { MS_PER } from '../../shared/sequence.js';

const nonNegative = (fallback: number) => numberish(fallback).pipe(z.number().min(0));

export const delayConfig = z
  .object({
    name: z.string().default(''),
    /** delay: fixed; delayv: msg.delay overrides; random; rate: limit all; queue / timed: limit per topic. */
    pauseType: z.enum(['delay', 'delayv', 'random', 'rate', 'queue', 'timed']).default('delay'),
    timeout: nonNegative(5),
    timeoutUnits: z.enum(['milliseconds', 'seconds', 'minutes', 'hours', 'days']).default('seconds'),
    /** Messages per nbRateUnits rateUnits. */
    rate: nonNegative(1),
    nbRateUnits: nonNegative(1),
    rateUnits: z.enum(['second', 'minute', 'hour', 'day']).default('second'),
    randomFirst: nonNegative(1),
    randomLast: nonNegative(5),
    randomUnits: z.enum(['milliseconds', 'seconds', 'minutes', 'hours', 'days']).default('seconds'),
    /** Rate limit: drop intermediate messages instead of queueing them (always so per topic). */
    drop: boolish(false),
    /** Let msg.rate (ms) change the rate. */
    allowrate: boolish(false),
    /** 2 when dropped messages go to a second output. */
    outputs: numberish(1).pipe(z.union([z.literal(1), z.literal(2)])),
  })
  .superRefine((c, issue) => {
    if ((c.pauseType === 'rate' || c.pauseType === 'queue' || c.pauseType === 'timed') && c.rate === 0) {
      issue.addIssue({ code: 'custom', path: ['rate'], message: 'rate must be more than 0' });
    }
  });

export type DelayConfig = z.infer<typeof delayConfig>;

const PER_RATE_UNIT = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Milliseconds between messages for the rate modes, as Node-RED computes it. */
export function rateIntervalMs(c: DelayConfig): number {
  return (PER_RATE_UNIT[c.rateUnits] / c.rate) * (c.nbRateUnits > 0 ? c.nbRateUnits : 1);
}

export const timeoutMs = (c: DelayConfig) => c.timeout * MS_PER[c.timeoutUnits];
export const randomRangeMs = (c: DelayConfig) =>
  [c.randomFirst * MS_PER[c.randomUnits], c.randomLast * MS_PER[c.randomUnits]] as const;
