import type { PreparedRow } from './row.js';

/**
 * InfluxDB line protocol for prepared rows, written straight into one growing Buffer per request.
 * @questdb/nodejs-client's SenderBuffer re-validates every name and writes text one character at a
 * time, which cost about 20 µs a row in the device ingest's profile; here the names are already
 * checked identifiers (prepareRow), so their bytes are cached and each value is one write.
 *
 * Protocol 1 sends doubles as text and the designated time in nanoseconds; protocol 2 and later send
 * doubles in binary (`==`, type 16, 8 bytes little-endian) and times in microseconds with a `t`
 * suffix, the same bytes the client library writes for each version.
 */

export type IlpProtocolVersion = 1 | 2;

export interface IlpEncoder {
  /** One request body for the rows; throws RowEncodeError naming the row (1-based) that cannot be written. */
  encode(rows: readonly PreparedRow[]): Buffer;
}

export class RowEncodeError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RowEncodeError';
  }
}

const ENTITY_TYPE_DOUBLE = 16;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
// Unquoted values (symbols) escape separators; quoted values (strings) escape quotes. Both escape
// line breaks and backslashes, as the client library does.
const NEEDS_ESCAPE_UNQUOTED = /[ ,=\n\r\\]/;
const ESCAPE_UNQUOTED = /[ ,=\n\r\\]/g;
const NEEDS_ESCAPE_QUOTED = /["\n\r\\]/;
const ESCAPE_QUOTED = /["\n\r\\]/g;
const escapeUnquoted = (s: string) => (NEEDS_ESCAPE_UNQUOTED.test(s) ? s.replace(ESCAPE_UNQUOTED, '\\$&') : s);
const escapeQuoted = (s: string) => (NEEDS_ESCAPE_QUOTED.test(s) ? s.replace(ESCAPE_QUOTED, '\\$&') : s);

/** Bytes of the fixed text around a name (`table`, `,device=`, ` power=`), by name; names are ASCII identifiers. */
function createNameCache(render: (name: string) => string, limit = 4096): (name: string) => Buffer {
  const cache = new Map<string, Buffer>();
  return (name) => {
    let bytes = cache.get(name);
    if (!bytes) {
      // Names come from data (new columns appear over time); a full cache starts over rather than grow.
      if (cache.size >= limit) cache.clear();
      bytes = Buffer.from(render(name), 'utf8');
      cache.set(name, bytes);
    }
    return bytes;
  };
}

export function createIlpEncoder(version: IlpProtocolVersion): IlpEncoder {
  const tableName = createNameCache((name) => name);
  const firstField = createNameCache((name) => ` ${name}=`);
  const nextField = createNameCache((name) => `,${name}=`);
  let buf = Buffer.allocUnsafe(64 * 1024);
  let pos = 0;

  function ensure(extra: number): void {
    if (pos + extra <= buf.length) return;
    let size = buf.length * 2;
    while (pos + extra > size) size *= 2;
    const next = Buffer.allocUnsafe(size);
    buf.copy(next, 0, 0, pos);
    buf = next;
  }

  function putBytes(bytes: Buffer): void {
    const n = bytes.length;
    ensure(n);
    // Names are short: a loop beats a native copy call.
    if (n <= 32) for (let k = 0; k < n; k++) buf[pos + k] = bytes[k] as number;
    else bytes.copy(buf, pos);
    pos += n;
  }

  function putString(s: string): void {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    ensure(s.length * 3);
    pos += buf.write(s, pos, 'utf8');
  }

  function putRow(row: PreparedRow): void {
    putBytes(tableName(row.table));
    for (const [name, value] of row.symbols) {
      putBytes(nextField(name));
      putString(escapeUnquoted(value));
    }
    let first = true;
    for (const f of row.fields) {
      putBytes(first ? firstField(f.name) : nextField(f.name));
      first = false;
      switch (f.kind) {
        case 'float':
          if (version === 1) putString(f.value.toString());
          else {
            ensure(10);
            buf[pos++] = 0x3d; // '='
            buf[pos++] = ENTITY_TYPE_DOUBLE;
            pos = buf.writeDoubleLE(f.value, pos);
          }
          break;
        case 'int':
          if (!Number.isInteger(f.value)) throw new Error(`column "${f.name}": ${f.value} is not an integer`);
          putString(`${f.value}i`);
          break;
        case 'boolean':
          ensure(1);
          buf[pos++] = f.value ? 0x74 : 0x66; // 't' | 'f'
          break;
        case 'string':
          putString(`"${escapeQuoted(f.value)}"`);
          break;
        case 'timestamp':
          putString(`${f.value}t`);
          break;
      }
    }
    const us = row.tsMicros;
    if (version === 1) putString(` ${us * 1000n}\n`);
    // Times of this era in µs fit a double exactly, whose text is much cheaper to make than a bigint's.
    else putString(` ${us <= MAX_SAFE && us >= -MAX_SAFE ? String(Number(us)) : String(us)}t\n`);
  }

  return {
    encode(rows) {
      pos = 0;
      for (let i = 0; i < rows.length; i++) {
        const start = pos;
        try {
          putRow(rows[i] as PreparedRow);
        } catch (err) {
          pos = start;
          throw new RowEncodeError(i + 1, (err as Error).message);
        }
      }
      // A copy: the request may still be in flight when the next batch is encoded.
      return Buffer.from(buf.subarray(0, pos));
    },
  };
}
