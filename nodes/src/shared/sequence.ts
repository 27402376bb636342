import { z } from 'zod';
import type { Done, Msg, NodeContext, Send } from '@gridflow/runtime';
import { nrUtil } from './node-red-util.js';

/** A message a node holds on to, with the send and done of the input that brought it. */
export interface HeldMessage {
  msg: Msg;
  send: Send;
  done: Done;
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Node-RED's `nodeMessageBufferMaxLength`; 0 means no limit. */
export function messageBufferLimit(ctx: NodeContext): number {
  const n = ctx.settings.nodeMessageBufferMaxLength;
  return typeof n === 'number' && n > 0 ? n : 0;
}

function isPropertyPath(path: string): boolean {
  try {
    nrUtil.normalisePropertyExpression(path);
    return true;
  } catch {
    // normalisePropertyExpression throws on a malformed path; that is exactly the answer wanted.
    return false;
  }
}

/** A msg property path ("payload", "a.b[0]"); blank means `fallback`, as `n.property || "payload"` does. */
export const msgPropertyPath = (fallback: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? fallback : v),
    z.string().refine(isPropertyPath, { message: 'invalid message property expression' }),
  );

/** Like msgPropertyPath but a blank stays blank (an optional target such as split's "copy key to"). */
export const optionalMsgPropertyPath = () =>
  z.preprocess(
    (v) => (v === undefined || v === null ? '' : v),
    z.string().refine((p) => p === '' || isPropertyPath(p), { message: 'invalid message property expression' }),
  );

/** The escapes split and join accept in a separator (`\n`, `\r`, `\t`, `\e`, `\f`, `\0`), as Node-RED reads them. */
export function unescapeSeparator(s: string): string {
  return s
    .replace(/\\n/g, '\n')
    .replace(/\\r/g, '\r')
    .replace(/\\t/g, '\t')
    .replace(/\\e/g, 'e') // Node-RED writes "\e", which JavaScript reads as a plain "e"
    .replace(/\\f/g, '\f')
    .replace(/\\0/g, '\0');
}

/** A JSON array of byte values, as split and join store a binary separator ("[10,13]"). */
export function parseByteArray(text: string): number[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((b) => typeof b === 'number') ? (v as number[]) : undefined;
  } catch {
    // not JSON: the caller reports the property as invalid
    return undefined;
  }
}

/** Whether a JSONata expression compiles; used by config schemas so a bad one fails the deploy. */
export function jsonataProblem(expr: string): string | undefined {
  try {
    nrUtil.prepareJSONataExpression(expr, null);
    return undefined;
  } catch (err) {
    return `invalid JSONata expression: ${(err as Error).message}`;
  }
}

/** msg.parts as split, batch and the other sequence nodes write it. */
export interface MsgParts {
  id: string;
  index?: number;
  count?: number;
  type?: string;
  ch?: unknown;
  key?: string;
  len?: number;
  property?: string;
  parts?: MsgParts;
  [key: string]: unknown;
}

export function readParts(msg: Msg): MsgParts | undefined {
  const p = msg['parts'];
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as MsgParts) : undefined;
}

export const getMsgProperty = (msg: object, path: string): unknown => nrUtil.getMessageProperty(msg, path);
export const setMsgProperty = (msg: object, path: string, value: unknown): void => {
  nrUtil.setMessageProperty(msg, path, value, true);
};

/** Unit multipliers Node-RED's delay and trigger use, in milliseconds. */
export const MS_PER = { milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
