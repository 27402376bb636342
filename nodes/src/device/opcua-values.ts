/**
 * Plain-JSON views of OPC UA values (pure functions, unit-tested): flows see numbers, strings,
 * booleans, arrays and dates, never node-opcua's Variant or typed arrays.
 */

/** Data type names a node may set for writes and method arguments (node-opcua's DataType keys). */
export const opcuaDataTypes = [
  'auto',
  'Boolean',
  'SByte',
  'Byte',
  'Int16',
  'UInt16',
  'Int32',
  'UInt32',
  'Int64',
  'UInt64',
  'Float',
  'Double',
  'String',
  'DateTime',
  'ByteString',
] as const;
export type OpcuaDataTypeName = (typeof opcuaDataTypes)[number];

/** A value out of a Variant as JSON-friendly data: typed arrays become arrays, nested values recurse. */
export function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (ArrayBuffer.isView(v) && !Buffer.isBuffer(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plainValue);
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    return (v as { toJSON(): unknown }).toJSON();
  }
  return v;
}

const integerRanges: Partial<Record<OpcuaDataTypeName, [number, number]>> = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32768, 32767],
  UInt16: [0, 65535],
  Int32: [-2147483648, 2147483647],
  UInt32: [0, 4294967295],
};

/**
 * Converts a message value to what node-opcua expects for the data type; throws naming the
 * problem (a string that is no number, an integer out of range).
 */
export function coerceValue(value: unknown, type: Exclude<OpcuaDataTypeName, 'auto'>, what = 'value'): unknown {
  if (Array.isArray(value)) return value.map((x, i) => coerceValue(x, type, `${what}[${i}]`));
  switch (type) {
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1 || value === 'true' || value === 'false') return value === 1 || value === 'true';
      throw new Error(`${what} ${JSON.stringify(value)} is not a Boolean`);
    case 'String':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'DateTime': {
      const d = value instanceof Date ? value : new Date(typeof value === 'number' || typeof value === 'string' ? value : NaN);
      if (Number.isNaN(d.getTime())) throw new Error(`${what} ${JSON.stringify(value)} is not a date`);
      return d;
    }
    case 'ByteString':
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return Buffer.from(value);
      throw new Error(`${what} must be a Buffer or a string for ByteString`);
    case 'Int64':
    case 'UInt64': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`${what} ${JSON.stringify(value)} is not an integer`);
      // node-opcua takes 64-bit integers as [high, low] 32-bit words.
      const high = Math.floor(n / 0x1_0000_0000);
      return [high >>> 0, (n - high * 0x1_0000_0000) >>> 0];
    }
    default: {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`${what} ${JSON.stringify(value)} is not a number`);
      const range = integerRanges[type];
      if (range) {
        if (!Number.isInteger(n)) throw new Error(`${what} ${n} is not an integer (${type})`);
        if (n < range[0] || n > range[1]) throw new Error(`${what} ${n} is outside ${type} (${range[0]}..${range[1]})`);
      }
      return n;
    }
  }
}

/** A list of node ids from a form field: one per line (or separated by commas outside brackets). */
export function nodeIdList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((line) => line.split(/,(?![^[]*\])/))
    .map((s) => s.trim())
    .filter(Boolean);
}
