export interface EncodeLimits {
  maxStringLength: number;
  maxArrayLength: number;
  maxDepth: number;
  /** Values visited per message; beyond it the rest is cut, so one huge message costs bounded time. */
  maxNodes?: number;
}

export interface Encoded {
  /** Node-RED style type label of the top-level value. */
  format: string;
  /** JSON-safe value. */
  msg: unknown;
  truncated: boolean;
}

export const UNDEFINED_MARKER = { __gridflow: 'undefined' } as const;

/** Node-RED's type label: 'string[5]', 'array[3]', 'buffer[12]', 'Object', 'number', ... */
export function formatOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string[${value.length}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') return typeof value;
  if (typeof value === 'function') return 'function';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `buffer[${value.length}]`;
  if (Array.isArray(value)) return `array[${value.length}]`;
  if (value instanceof Date) return 'Date';
  if (value instanceof Error) return 'Error';
  if (value instanceof Map) return `Map[${value.size}]`;
  if (value instanceof Set) return `Set[${value.size}]`;
  return 'Object';
}

/** Makes any value safe to send as JSON to the browser: bounded in size, no cycles, nothing JSON cannot carry. */
export function encodeDebugValue(value: unknown, limits: EncodeLimits): Encoded {
  let truncated = false;
  let budget = limits.maxNodes ?? 5000;
  const seen = new WeakSet<object>();

  const walk = (v: unknown, depth: number): unknown => {
    if (--budget < 0) {
      truncated = true;
      return '[…]';
    }
    if (v === null) return null;
    if (v === undefined) return UNDEFINED_MARKER;
    switch (typeof v) {
      case 'string':
        if (v.length > limits.maxStringLength) {
          truncated = true;
          return `${v.slice(0, limits.maxStringLength)}…`;
        }
        return v;
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'bigint':
        return `${v.toString()}n`;
      case 'symbol':
        return v.toString();
      case 'function':
        return `[Function${v.name ? ` ${v.name}` : ''}]`;
    }
    const obj = v as object;
    if (seen.has(obj)) return '[Circular]';
    if (Buffer.isBuffer(obj) || obj instanceof Uint8Array) {
      const bytes = obj as Uint8Array;
      if (bytes.length > limits.maxArrayLength) truncated = true;
      return { type: 'Buffer', data: Array.from(bytes.subarray(0, limits.maxArrayLength)) };
    }
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Error) return { name: obj.name, message: obj.message };
    if (depth >= limits.maxDepth) {
      truncated = true;
      return Array.isArray(obj) ? `[array[${obj.length}]]` : '[Object]';
    }
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        if (obj.length > limits.maxArrayLength) truncated = true;
        return obj.slice(0, limits.maxArrayLength).map((e) => walk(e, depth + 1));
      }
      if (obj instanceof Map) return walk(Object.fromEntries([...obj.entries()].map(([k, val]) => [String(k), val])), depth);
      if (obj instanceof Set) return walk([...obj], depth);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(obj)) {
        let child: unknown;
        try {
          child = (obj as Record<string, unknown>)[key];
        } catch (err) {
          // A throwing getter must not break the debug stream; show what it threw.
          child = `[getter threw: ${err instanceof Error ? err.message : String(err)}]`;
        }
        out[key] = walk(child, depth + 1);
        if (budget < 0) break;
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };

  const msg = walk(value, 0);
  return { format: formatOf(value), msg, truncated };
}
