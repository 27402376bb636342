import { z } from 'zod';
import { boolish, numberish } from '../../shared/typed-value.js';
import { msgPropertyPath } from '../../shared/sequence.js';

/** Typed-input types plus trigger's own: pay (the payload), payl (the latest message), nul (nothing), val (legacy). */
const opType = z.enum([
  'str',
  'num',
  'bool',
  'json',
  'bin',
  'date',
  'env',
  'flow',
  'global',
  'pay',
  'payl',
  'nul',
  'val',
]);
const opValue = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string().optional(),
);

function jsonProblem(value: string, type: string): string | undefined {
  if (type !== 'json' && type !== 'bin') return undefined;
  try {
    const v: unknown = JSON.parse(value);
    if (type === 'bin' && !Array.isArray(v) && typeof v !== 'string')
      return 'binary value must be a JSON array or string';
    return undefined;
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
}

export const triggerConfig = z
  .object({
    name: z.string().default(''),
    /** The first message's payload (blank means "1", as in Node-RED). */
    op1: opValue,
    /** The second message's payload (blank means "0"). */
    op2: opValue,
    op1type: opType.default('str'),
    op2type: opType.default('str'),
    /** ms/s/min/hr; 0: wait to be reset; negative: resend every |duration|. */
    duration: numberish(250),
    units: z.enum(['ms', 's', 'min', 'hr']).default('ms'),
    /** Restart the wait on each new message. */
    extend: boolish(false),
    /** Let msg.delay (ms) set the wait. */
    overrideDelay: boolish(false),
    /** A payload equal to this resets the node (blank: none). */
    reset: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().default('')),
    /** 'topic': a separate trigger per value of the `topic` property. */
    bytopic: z.enum(['all', 'topic']).default('all'),
    topic: msgPropertyPath('topic'),
    outputs: numberish(1).pipe(z.union([z.literal(1), z.literal(2)])),
  })
  .superRefine((c, issue) => {
    for (const [value, type, path] of [
      [c.op1, c.op1type, 'op1'],
      [c.op2, c.op2type, 'op2'],
    ] as const) {
      const problem = jsonProblem(value ?? '', type);
      if (problem) issue.addIssue({ code: 'custom', path: [path], message: problem });
    }
  });

export type TriggerConfig = z.infer<typeof triggerConfig>;

/** A payload source after Node-RED's constructor has normalised it. */
export interface TriggerOp {
  type: string;
  value: string | null;
  /** A str value containing {{...}}: rendered with mustache against the message. */
  templated: boolean;
}

/** Node-RED's constructor: blank defaults, legacy 'val' types, date defaults. */
export function normaliseOp(value: string | undefined, type: string, blank: '1' | '0'): TriggerOp {
  let v: string | null = value || blank;
  let t = type;
  if (t === 'date' && v === blank) v = '';
  if (t === 'val') {
    if (v === 'true' || v === 'false') t = 'bool';
    else if (v === 'null') {
      t = 'null';
      v = null;
    } else t = 'str';
  }
  return { type: t, value: v, templated: t === 'str' && v !== null && v.includes('{{') };
}

const UNIT_MS = { ms: 1, s: 1000, min: 60_000, hr: 3_600_000 } as const;

/** The wait in ms and whether the node resends in a loop (negative duration). */
export function triggerTiming(c: TriggerConfig): { durationMs: number; loop: boolean; extend: boolean } {
  const loop = c.duration < 0;
  return { durationMs: Math.abs(c.duration) * UNIT_MS[c.units], loop, extend: loop ? false : c.extend };
}
