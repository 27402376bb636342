import { z } from 'zod';
import { boolish, numberish } from '../../shared/typed-value.js';
import { jsonataProblem, msgPropertyPath, parseByteArray } from '../../shared/sequence.js';

/** Node-RED reads an absent `useparts` as true and a blank one as false. */
const useparts = z.preprocess(
  (v) => (v === undefined ? true : v === '' || v === null ? false : v === 'true' ? true : v === 'false' ? false : v),
  z.boolean(),
);

/** "" means "take the count from msg.parts"; a number (or numeric string) is a fixed count. */
const count = z
  .union([z.literal(''), z.number().min(0), z.string().regex(/^\s*\d+\s*$/, 'count must be a whole number or blank')])
  .default('');

export const joinConfig = z
  .object({
    name: z.string().default(''),
    mode: z.enum(['auto', 'custom', 'reduce']).default('auto'),
    /** What manual mode builds. */
    build: z.enum(['string', 'buffer', 'array', 'object', 'merged']).default('object'),
    property: msgPropertyPath('payload'),
    /** 'full': join whole messages instead of one property. */
    propertyType: z.enum(['msg', 'full']).default('msg'),
    /** For build 'object': the property whose value is the key. */
    key: msgPropertyPath('topic'),
    joiner: z.string().default('\\n'),
    joinerType: z.enum(['str', 'bin']).default('str'),
    useparts,
    /** For build 'object': keep the object and send it again for every later message. */
    accumulate: boolish(false),
    /** Seconds after the first message of a group before sending what has arrived (0: none). */
    timeout: numberish(0).pipe(z.number().min(0)),
    count,
    reduceRight: boolish(false),
    reduceExp: z.string().optional(),
    reduceInit: z.union([z.string(), z.number(), z.boolean()]).optional(),
    reduceInitType: z.string().optional(),
    reduceFixup: z.string().optional(),
  })
  .superRefine((c, issue) => {
    if (c.joinerType === 'bin' && !parseByteArray(c.joiner || '[]')) {
      issue.addIssue({
        code: 'custom',
        path: ['joiner'],
        message: 'binary joiner must be a JSON array of bytes, e.g. [10]',
      });
    }
    if (c.mode !== 'reduce') return;
    const exp = jsonataProblem(c.reduceExp ?? '');
    if (exp) issue.addIssue({ code: 'custom', path: ['reduceExp'], message: exp });
    if (c.reduceFixup) {
      const fixup = jsonataProblem(c.reduceFixup);
      if (fixup) issue.addIssue({ code: 'custom', path: ['reduceFixup'], message: fixup });
    }
    if (c.reduceInitType === 'jsonata') {
      const init = jsonataProblem(String(c.reduceInit ?? ''));
      if (init) issue.addIssue({ code: 'custom', path: ['reduceInit'], message: init });
    }
    if (c.reduceInitType === 'json') {
      try {
        JSON.parse(String(c.reduceInit ?? ''));
      } catch (err) {
        issue.addIssue({ code: 'custom', path: ['reduceInit'], message: `invalid JSON: ${(err as Error).message}` });
      }
    }
  });

export type JoinConfig = z.infer<typeof joinConfig>;
