import { z } from 'zod';
import { boolish, numberish } from '../../shared/typed-value.js';

export const batchConfig = z
  .object({
    name: z.string().default(''),
    /** count: groups of N messages; interval: what arrives in each period; concat: join sequences by topic. */
    mode: z.enum(['count', 'interval', 'concat']).default('count'),
    count: numberish(10).pipe(z.number().int().min(1)),
    /** Messages at the end of one group repeated at the start of the next. */
    overlap: numberish(0).pipe(z.number().int().min(0)),
    /** Seconds. */
    interval: numberish(10).pipe(z.number().min(0)),
    /** Interval mode: send a message with a null payload when nothing arrived. */
    allowEmptySequence: boolish(false),
    /** Count mode: the last message of a msg.parts sequence also closes the group. */
    honourParts: boolish(false),
    /** Concat mode: the topics whose sequences are concatenated, in this order. */
    topics: z.array(z.object({ topic: z.string().default('') })).default([{ topic: '' }]),
  })
  .superRefine((c, issue) => {
    if (c.mode === 'count' && c.count <= c.overlap) {
      issue.addIssue({ code: 'custom', path: ['overlap'], message: 'Invalid count and overlap' });
    }
  });
export type BatchConfig = z.infer<typeof batchConfig>;
