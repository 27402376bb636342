/** Builds a Node-RED property path: `payload.items[2]["odd key"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Undoes the debug encoding of values JSON cannot carry (undefined, Buffers stay as they are). */
export function decodeDebugValue(value: unknown, format: string): unknown {
  if (value && typeof value === 'object' && (value as { __gridflow?: unknown }).__gridflow === 'undefined') return undefined;
  if (typeof value === 'string' && (format === 'Object' || format.startsWith('array'))) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      // Not JSON after all (a server that sends objects pre-formatted): show the text.
      return value;
    }
  }
  return value;
}

export function previewOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array[${value.length}]`;
  if (typeof value === 'object') {
    if ((value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return `buffer[${(value as { data: unknown[] }).data.length}]`;
    }
    const keys = Object.keys(value);
    return `{ ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''} }`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
