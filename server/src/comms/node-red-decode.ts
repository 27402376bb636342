import { UNDEFINED_MARKER } from './debug-encode.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns Node-RED's debug wire encoding (RED.util.encodeObject: objects as JSON strings with
 * `__enc__` markers, numbers and booleans as strings, buffers as hex) back into a plain JSON
 * value, so every debug message reaches the editor in the contract's one shape.
 */
export function decodeNodeRedDebug(msg: unknown, format: string): { value: unknown; truncated: boolean } {
  let truncated = false;
  const unmark = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(unmark);
    if (!isRecord(v)) return v;
    if (v['__enc__'] === true) {
      const length = typeof v['length'] === 'number' ? v['length'] : undefined;
      const data = v['data'];
      if (Array.isArray(data) && length !== undefined && length > data.length) truncated = true;
      switch (v['type']) {
        case 'Buffer':
          return { type: 'Buffer', data: Array.isArray(data) ? data : [] };
        case 'error':
          return isRecord(data)
            ? { name: data['name'], message: data['message'], ...(data['code'] !== undefined ? { code: data['code'] } : {}) }
            : { name: 'Error', message: '' };
        case 'function':
          return '[Function]';
        case 'internal':
          return '[internal]';
        case 'undefined':
          return UNDEFINED_MARKER;
        case 'number':
          return String(data);
        case 'bigint':
          return `${String(data)}n`;
        case 'map':
          return isRecord(data) ? unmark(data) : {};
        default:
          // array, set and typed arrays carry their (possibly cut) elements in data.
          return Array.isArray(data) ? data.map(unmark) : unmark(data);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) out[k] = unmark(child);
    return out;
  };

  if (typeof msg !== 'string') return { value: unmark(msg), truncated };
  if (format.startsWith('string')) return { value: msg, truncated };
  if (format === 'number') {
    const n = Number(msg);
    return { value: Number.isFinite(n) ? n : msg, truncated };
  }
  if (format === 'boolean') return { value: msg === 'true', truncated };
  if (format === 'null') return { value: null, truncated };
  if (format === 'undefined') return { value: UNDEFINED_MARKER, truncated };
  if (format.startsWith('buffer[')) {
    const bytes = Buffer.from(msg, 'hex');
    const declared = Number(/^buffer\[(\d+)\]$/.exec(format)?.[1] ?? bytes.length);
    return { value: { type: 'Buffer', data: Array.from(bytes) }, truncated: declared > bytes.length };
  }
  if (format === 'regexp' || format === 'function' || format === 'bigint' || format === 'symbol') return { value: msg, truncated };
  try {
    return { value: unmark(JSON.parse(msg)), truncated };
  } catch {
    // Not JSON after all (a custom format); show the text.
    return { value: msg, truncated };
  }
}
