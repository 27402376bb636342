import { z } from 'zod';
import type { NodeContext } from '@gridflow/runtime';
import { typedInputTypeSchema } from '../shared/typed-value.js';

const blank = (v: unknown) => v === '' || v === undefined || v === null;

/** A number that Node-RED may store as a string; blanks take the default. */
export const num = (fallback: number) =>
  z.preprocess((v) => (blank(v) ? fallback : typeof v === 'string' ? Number(v) : v), z.number());

/** A non-negative number (durations, bands); blanks take the default. */
export const nonNegative = (fallback: number) =>
  z.preprocess((v) => (blank(v) ? fallback : typeof v === 'string' ? Number(v) : v), z.number().min(0));

/** A whole number of at least `min`; blanks take the default. */
export const whole = (fallback: number, min = 1) =>
  z.preprocess((v) => (blank(v) ? fallback : typeof v === 'string' ? Number(v) : v), z.number().int().min(min));

export const boolFlag = (fallback: boolean) =>
  z.preprocess((v) => (blank(v) ? fallback : v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** A typed-input property name with its type, as Node-RED stores them (`property` + `propertyType`). */
export const propertyType = (fallback: 'msg' | 'str' = 'msg') =>
  z.preprocess((v) => (blank(v) ? fallback : v), typedInputTypeSchema);

/** The fields every keyed stream node shares: what the key is and how many keys may live at once. */
export const keyFields = {
  /** The key: a message property (default `msg.topic`) or any typed value; state is kept per key. */
  key: z.string().default('topic'),
  keyType: propertyType('msg'),
  /** At most this many keys are kept; the least recently used is evicted (and counted) beyond it. */
  maxKeys: whole(10_000),
};

/** The value a node works on: `msg.payload` unless told otherwise. */
export const valueFields = {
  property: z.string().default('payload'),
  propertyType: propertyType('msg'),
};

export interface KeyStatusSource {
  readonly size: number;
  readonly evicted: number;
}

/**
 * Shows live keys and evictions in the node status once a second when they change, rather than
 * per message (a status is an event the editor receives).
 */
export function reportKeyStatus(ctx: NodeContext, keys: KeyStatusSource, extra?: () => string): void {
  let last = '';
  ctx.timers.setInterval(() => {
    const more = extra?.() ?? '';
    const text = `${keys.size} keys${keys.evicted ? `, ${keys.evicted} evicted` : ''}${more ? `, ${more}` : ''}`;
    if (text === last) return;
    last = text;
    ctx.status({ fill: keys.evicted ? 'yellow' : 'green', shape: 'dot', text });
  }, 1000);
}
