import { randomBytes } from 'node:crypto';

/** A message as Node-RED shapes it: `_msgid`, usually `payload` and `topic`, plus anything a node adds. */
export type Msg = { _msgid: string; payload?: unknown; topic?: string } & Record<string, unknown>;

/** What a node may pass to send: one message, null, or per-output entries (each one, several, or none). */
export type SendArg = Msg | null | undefined | (Msg | Msg[] | null | undefined)[];

// 16 hex chars, like RED.util.generateId, drawn from a pooled buffer so id creation stays cheap.
const pool = Buffer.alloc(8 * 1024);
let poolOffset = pool.length;
export function generateId(): string {
  if (poolOffset + 8 > pool.length) {
    randomBytes(pool.length).copy(pool);
    poolOffset = 0;
  }
  const id = pool.toString('hex', poolOffset, poolOffset + 8);
  poolOffset += 8;
  return id;
}

/**
 * Deep copy with Node-RED's cloneMessage semantics: Buffers, Dates, Maps, Sets and typed arrays
 * are really copied; `req` and `res` (HTTP objects) are shared, not cloned.
 */
export function cloneMessage<T>(msg: T): T {
  if (msg === null || typeof msg !== 'object') return msg;
  // Node-RED's cloneMessage is a deep clone of any value: a Buffer, Date or array given
  // directly (change node deep copy, RED.util.cloneMessage in a function) is copied as such.
  if (Array.isArray(msg) || !isPlainObject(msg)) return cloneValue(msg) as T;
  const src = msg as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in src) {
    const v = src[key];
    out[key] = key === 'req' || key === 'res' ? v : cloneValue(v);
  }
  return out as T;
}

export function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    // slice() copies the primitives in one go (five times faster than element by element on
    // fan-out payloads); only nested objects need their own copy.
    const out = (value as unknown[]).slice();
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (v !== null && typeof v === 'object') out[i] = cloneValue(v);
    }
    return out;
  }
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (isPlainObject(value)) {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key in src) out[key] = cloneValue(src[key]);
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [cloneValue(k), cloneValue(v)]));
  if (value instanceof Set) return new Set([...value].map(cloneValue));
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  // Class instances (sockets, clients) are shared, as lodash.cloneDeep would fail on them too.
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null || isForeignPlainPrototype(proto);
}

// Objects made inside a node:vm context (function node code) have that context's Object.prototype.
function isForeignPlainPrototype(proto: object): boolean {
  if (Object.getPrototypeOf(proto) !== null) return false;
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name === 'Object';
}

export function isMsg(value: unknown): value is Msg {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
