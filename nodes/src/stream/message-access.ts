import type { Msg, NodeContext } from '@gridflow/runtime';
import { nrUtil } from '../shared/node-red-util.js';
import { compileTypedValue, typedValueProblem } from '../shared/typed-value.js';

/** Reads one value from a message; compiled once at deploy so the per-message path stays cheap. */
export type Accessor = (msg: Msg) => unknown;

/**
 * Compiles a `msg.` property path (Node-RED syntax: `payload.a[0]["b c"]`). Plain paths become a
 * loop over pre-split segments; paths with nested `msg.` references fall back to Node-RED's own
 * evaluator. A malformed path throws, naming it.
 */
export function compileMsgPath(path: string): Accessor {
  const expr = path.startsWith('msg.') ? path.slice(4) : path;
  let segments: (string | number)[];
  try {
    const parts = nrUtil.normalisePropertyExpression(expr);
    if (typeof parts === 'string') throw new Error('not a path');
    if (parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) {
      return (msg) => nrUtil.getMessageProperty(msg, expr);
    }
    segments = parts;
  } catch (err) {
    throw new Error(`invalid property "msg.${expr}": ${(err as Error).message}`);
  }
  if (segments.length === 1) {
    const only = segments[0] as string | number;
    return (msg) => (msg as Record<string | number, unknown>)[only];
  }
  return (msg) => {
    let v: unknown = msg;
    for (let i = 0; i < segments.length; i++) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[segments[i] as string | number];
    }
    return v;
  };
}

/** A typed property (Node-RED typed input): `msg` paths take the fast path, other types Node-RED's evaluator. */
export function compileAccessor(ctx: NodeContext, value: string, type: string): Accessor {
  if (type === 'msg') return compileMsgPath(value);
  // Stream nodes read keys and values synchronously per message; JSONata is refused at deploy instead of failing every message.
  const problem = typedValueProblem(value, type, { sync: true });
  if (problem) throw new Error(problem);
  const typed = compileTypedValue(ctx, value, type);
  return (msg) => typed.get(msg);
}

/** Writes a `msg.` property path, creating missing objects. */
export function compileMsgSetter(path: string): (msg: Msg, value: unknown) => void {
  const expr = path.startsWith('msg.') ? path.slice(4) : path;
  if (/^[A-Za-z_$][\w$]*$/.test(expr)) return (msg, value) => void ((msg as Record<string, unknown>)[expr] = value);
  return (msg, value) => void nrUtil.setMessageProperty(msg, expr, value, true);
}

/** Keys are strings; a missing key is the empty string, so messages without one share a key. */
export function keyString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Numbers, numeric strings (as MQTT delivers them) and booleans as 1/0; NaN for anything else. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? NaN : Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** A time in epoch ms from a number, a Date or a date string; NaN when it is none of these. */
export function toTime(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) && v.trim() !== '' ? n : Date.parse(v);
  }
  return NaN;
}
