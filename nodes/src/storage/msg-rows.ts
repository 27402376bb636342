import type { Msg } from '@gridflow/runtime';
import type { ColumnType } from './questdb/column-types.js';
import type { FieldValue, Row, SymbolValue } from './questdb/row.js';

/**
 * How `questdb out` turns a message into rows. The node's settings win; what they leave open is
 * taken from the message:
 *
 *   msg.table                      the table, when the node names none
 *   msg.payload                    an object of column values, an array of them (one row each),
 *                                  or a single value (stored in column "value")
 *   msg.symbols                    symbol values ({ device: "pump-1" }); a declared symbol is also
 *                                  looked up in the payload
 *   payload[timestamp] / msg.timestamp
 *                                  the row's time (Date, ms since the epoch or ISO text); now when absent
 */
export interface MsgRowSettings {
  table: string;
  symbols: readonly string[];
  /** Declared columns: only these are stored, with these types. Empty: every payload value, typed from its value. */
  columns: readonly { name: string; type: ColumnType }[];
  timestamp: string;
}

export class MessageShapeError extends Error {
  readonly code = 'QUESTDB_MESSAGE_SHAPE';
  constructor(message: string) {
    super(message);
    this.name = 'MessageShapeError';
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);

function isFieldValue(v: unknown): v is FieldValue {
  return (
    v === null || v === undefined || ['number', 'bigint', 'boolean', 'string'].includes(typeof v) || v instanceof Date
  );
}

function rowTime(v: unknown, where: string): Row['ts'] {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string' || typeof v === 'bigint') return v;
  throw new MessageShapeError(`${where} should be a Date, a number of milliseconds or ISO-8601 text, not ${typeof v}`);
}

export function rowsFromMessage(msg: Msg, s: MsgRowSettings): Row[] {
  const table = s.table || (typeof msg['table'] === 'string' ? (msg['table'] as string) : '');
  if (!table) throw new MessageShapeError('no table: set one in the node or send msg.table');
  const msgSymbols = msg['symbols'];
  if (msgSymbols !== undefined && !isPlainObject(msgSymbols))
    throw new MessageShapeError('msg.symbols should be an object such as { device: "pump-1" }');
  const payloads = Array.isArray(msg.payload) ? msg.payload : [msg.payload];
  const declared = s.columns.length ? new Map(s.columns.map((c) => [c.name, c.type])) : undefined;
  const types: Record<string, ColumnType> | undefined = declared ? Object.fromEntries(declared) : undefined;

  return payloads.map((payload, i) => {
    const where = Array.isArray(msg.payload) ? `msg.payload[${i}]` : 'msg.payload';
    const values: Record<string, unknown> = isPlainObject(payload) ? payload : { value: payload };
    const symbols: Record<string, SymbolValue> = {};
    for (const [name, v] of Object.entries(msgSymbols ?? {})) symbols[name] = v as SymbolValue;
    for (const name of s.symbols) {
      if (symbols[name] !== undefined) continue;
      const v = values[name];
      if (v !== undefined) symbols[name] = v as SymbolValue;
    }
    for (const [name, v] of Object.entries(symbols)) {
      if (v !== null && v !== undefined && !['string', 'number', 'boolean'].includes(typeof v)) {
        throw new MessageShapeError(`symbol "${name}" should be text, a number or a boolean, not ${typeof v}`);
      }
    }
    const ts = rowTime(values[s.timestamp], `${where}.${s.timestamp}`) ?? rowTime(msg['timestamp'], 'msg.timestamp');
    const columns: Record<string, FieldValue> = {};
    const names = declared ? [...declared.keys()] : Object.keys(values);
    for (const name of names) {
      if (name === s.timestamp || name in symbols) continue;
      const v = values[name];
      if (!isFieldValue(v)) {
        throw new MessageShapeError(
          `${where}.${name} is ${Array.isArray(v) ? 'an array' : typeof v}; columns take numbers, booleans, text and times`,
        );
      }
      columns[name] = v;
    }
    return { table, symbols, columns, ...(types ? { types } : {}), ...(ts !== undefined ? { ts } : {}) };
  });
}
