import { types } from 'node:util';

/**
 * Turns whatever a runtime produced into plain, JSON-like data that two runtimes can be compared on:
 * Buffers by bytes, Dates by time, Errors by name and message, class instances by their fields.
 * It runs the moment a message is collected, so later mutation by the flow cannot change the record.
 */

export interface CanonicalOptions {
  /** The id prefix the runner gave this case's nodes; removed from every string so outputs read as the case wrote them. */
  prefix: string;
}

export function canonical(value: unknown, options: CanonicalOptions, seen: Set<object> = new Set()): unknown {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return unprefix(value, options.prefix);
  if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value)) return { $number: String(value) };
    return Object.is(value, -0) ? 0 : value;
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'function') return { $function: true };
  if (typeof value === 'symbol') return { $symbol: value.toString() };
  const obj = value as object;
  if (seen.has(obj)) return { $circular: true };
  seen.add(obj);
  try {
    return canonicalObject(obj, options, seen);
  } finally {
    seen.delete(obj);
  }
}

// Realm-independent checks: function nodes build messages inside a node:vm context, whose
// Object, Error and Date are not this realm's, so `instanceof` would call them class instances.
function canonicalObject(obj: object, options: CanonicalOptions, seen: Set<object>): unknown {
  if (Buffer.isBuffer(obj)) return { $buffer: obj.toString('hex') };
  if (Array.isArray(obj)) return obj.map((v) => canonical(v, options, seen));
  if (types.isDate(obj)) return { $date: Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString() };
  if (types.isRegExp(obj)) return { $regexp: obj.toString() };
  if (types.isNativeError(obj)) return { $error: { name: obj.name, message: unprefix(obj.message, options.prefix) } };
  if (types.isMap(obj)) return { $map: [...obj].map(([k, v]) => [canonical(k, options, seen), canonical(v, options, seen)]) };
  if (types.isSet(obj)) return { $set: [...obj].map((v) => canonical(v, options, seen)) };
  if (ArrayBuffer.isView(obj)) {
    const bytes = Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength);
    return { $typed: obj.constructor.name, hex: bytes.toString('hex') };
  }
  const out: Record<string, unknown> = {};
  if (!isPlainObject(obj)) {
    const proto = Object.getPrototypeOf(obj) as object | null;
    const ctor = (proto as { constructor?: { name?: string } } | null)?.constructor;
    out['$class'] = ctor?.name ?? 'anonymous';
  }
  const record = obj as Record<string, unknown>;
  // Sorted keys: property order is not behaviour, and a sorted diff reads better.
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    // A property set to undefined and a missing property look the same in JSON, the debug sidebar and the editor.
    if (v === undefined) continue;
    out[unprefix(key, options.prefix)] = canonical(v, options, seen);
  }
  return out;
}

/** A plain object of any realm: its prototype is null or some realm's Object.prototype. */
function isPlainObject(obj: object): boolean {
  const proto = Object.getPrototypeOf(obj) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function unprefix(s: string, prefix: string): string {
  return prefix && s.includes(prefix) ? s.split(prefix).join('') : s;
}

/** Property path helpers on canonical data ("a.b.c"; `*` matches any one key or index). */
export function deletePath(target: unknown, path: string): void {
  visitPath(target, path.split('.'), (parent, key) => {
    if (Array.isArray(parent)) parent[Number(key)] = { $ignored: true };
    else delete (parent as Record<string, unknown>)[key];
  });
}

export function replacePath(target: unknown, path: string, fn: (v: unknown) => unknown): void {
  visitPath(target, path.split('.'), (parent, key) => {
    const p = parent as Record<string, unknown>;
    p[key] = fn(p[key]);
  });
}

function visitPath(node: unknown, parts: string[], leaf: (parent: object, key: string) => void): void {
  if (node === null || typeof node !== 'object' || parts.length === 0) return;
  const [head, ...rest] = parts as [string, ...string[]];
  const keys = head === '*' ? Object.keys(node) : Object.prototype.hasOwnProperty.call(node, head) ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) leaf(node, key);
    else visitPath((node as Record<string, unknown>)[key], rest, leaf);
  }
}

/** The type tag a `typeOnly` path is reduced to. */
export function typeTag(v: unknown): { $type: string } {
  if (v === null) return { $type: 'null' };
  if (Array.isArray(v)) return { $type: 'array' };
  if (typeof v === 'object') {
    const tagged = Object.keys(v as object).find((k) => k.startsWith('$'));
    return { $type: tagged ? tagged.slice(1) : 'object' };
  }
  return { $type: typeof v };
}
