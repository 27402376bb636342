import { ilpKind, inferColumnType, type ColumnType, type IlpKind } from './column-types.js';
import { isIdentifier } from './identifiers.js';

/** A value for one column; null and undefined leave the column empty (NULL) in that row. */
export type FieldValue = number | bigint | boolean | string | Date | null | undefined;
export type SymbolValue = string | number | boolean | null | undefined;

/** One row to store: what callers hand to the writer. */
export interface Row {
  table: string;
  /** SYMBOL columns (device, site, ...). */
  symbols?: Readonly<Record<string, SymbolValue>>;
  columns?: Readonly<Record<string, FieldValue>>;
  /** Declared column types; an undeclared column is typed from its value (number → double). */
  types?: Readonly<Record<string, ColumnType>>;
  /** Date, milliseconds since the epoch (number), microseconds (bigint) or ISO-8601 text; "now" when absent. */
  ts?: Date | number | bigint | string;
}

/** A row checked and converted once, when it enters the buffer; encoding it again on a retry is cheap. */
export interface PreparedRow {
  readonly table: string;
  readonly symbols: readonly (readonly [string, string])[];
  readonly fields: readonly PreparedField[];
  /** Microseconds since the epoch, fixed when the row was accepted so a replay carries the same key. */
  readonly tsMicros: bigint;
  readonly source: Row;
}
export type PreparedField =
  | { readonly name: string; readonly kind: 'float' | 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'boolean'; readonly value: boolean }
  | { readonly name: string; readonly kind: 'string'; readonly value: string }
  | { readonly name: string; readonly kind: 'timestamp'; readonly value: bigint };

export class InvalidRowError extends Error {
  readonly code = 'QUESTDB_INVALID_ROW';
  constructor(
    readonly table: string,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(`row for table "${table}"${column ? `, column "${column}"` : ''}: ${reason}`);
    this.name = 'InvalidRowError';
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Every row of a table carries the same few names; checking each once (not once per row) saves a
// regular expression per column per row. Bounded, as names come from data.
const checkedNames = new Set<string>();
function validName(name: string): boolean {
  if (checkedNames.has(name)) return true;
  if (!isIdentifier(name)) return false;
  if (checkedNames.size >= 4096) checkedNames.clear();
  checkedNames.add(name);
  return true;
}

/** Microseconds since the epoch from a Date, ms number, µs bigint or ISO text; throws a plain Error when unusable. */
export function toMicros(value: Date | number | bigint | string): bigint {
  if (typeof value === 'bigint') return value;
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`not a valid time: ${String(value)}`);
  return BigInt(Math.round(ms * 1000));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (value instanceof Date) return 'a Date';
  return `${typeof value} ${String(value)}`;
}

function prepareField(
  table: string,
  name: string,
  kind: IlpKind,
  value: Exclude<FieldValue, null | undefined>,
): PreparedField | [string, string] {
  const bad = (why: string) => new InvalidRowError(table, name, why);
  switch (kind) {
    case 'float': {
      if (typeof value === 'number') return { name, kind, value };
      if (typeof value === 'bigint') return { name, kind, value: Number(value) };
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        return { name, kind, value: Number(value) };
      throw bad(`expected a number, got ${describe(value)}`);
    }
    case 'int': {
      let n: unknown = value;
      if (typeof value === 'bigint') {
        if (value > MAX_SAFE || value < -MAX_SAFE)
          throw bad(`integer ${value} is beyond ±2^53, which ILP writes from JavaScript cannot carry`);
        n = Number(value);
      } else if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) n = Number(value);
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad(`expected an integer, got ${describe(value)}`);
      return { name, kind, value: n };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { name, kind, value };
      if (value === 'true' || value === 'false') return { name, kind, value: value === 'true' };
      throw bad(`expected a boolean, got ${describe(value)}`);
    case 'string':
      if (value instanceof Date) return { name, kind, value: value.toISOString() };
      return { name, kind, value: String(value) };
    case 'symbol':
      if (value instanceof Date) return [name, value.toISOString()];
      return [name, String(value)];
    case 'timestamp':
      if (typeof value === 'boolean') throw bad('expected a time, got a boolean');
      try {
        return { name, kind, value: toMicros(value) };
      } catch (err) {
        throw bad((err as Error).message);
      }
  }
}

/**
 * Checks a row and converts it for encoding. Problems the client can see (bad names, a text where a
 * declared number belongs, no values at all) are thrown as InvalidRowError here, before the row is
 * buffered; problems only QuestDB can see (a value that does not fit an existing column) come back
 * later as rejections.
 */
export function prepareRow(row: Row, now: () => number = Date.now): PreparedRow {
  const table = row.table;
  if (!validName(table))
    throw new InvalidRowError(String(table), undefined, 'table name must use letters, digits and underscores');
  const symbols: [string, string][] = [];
  const fields: PreparedField[] = [];
  // Object.keys, not Object.entries: one array per row instead of one per value (tens of thousands of rows a second).
  const rowSymbols = row.symbols ?? {};
  for (const name of Object.keys(rowSymbols)) {
    if (!validName(name)) throw new InvalidRowError(table, name, 'invalid symbol name');
    const value = rowSymbols[name];
    if (value === null || value === undefined) continue;
    symbols.push([name, String(value)]);
  }
  const columns = row.columns ?? {};
  const types = row.types;
  for (const name of Object.keys(columns)) {
    if (!validName(name)) throw new InvalidRowError(table, name, 'invalid column name');
    const value = columns[name];
    if (value === null || value === undefined) continue;
    const type = types?.[name] ?? inferColumnType(value);
    if (!type) throw new InvalidRowError(table, name, `cannot store a value of type ${typeof value}`);
    const prepared = prepareField(table, name, ilpKind(type), value);
    if (Array.isArray(prepared)) symbols.push(prepared);
    else fields.push(prepared);
  }
  if (symbols.length === 0 && fields.length === 0) throw new InvalidRowError(table, undefined, 'the row has no values');
  let tsMicros: bigint;
  try {
    tsMicros = toMicros(row.ts ?? now());
  } catch (err) {
    throw new InvalidRowError(table, 'ts', (err as Error).message);
  }
  return { table, symbols, fields, tsMicros, source: row };
}
