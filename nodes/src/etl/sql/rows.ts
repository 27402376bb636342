import { nrUtil } from '../../shared/node-red-util.js';
import { checkIdentifier } from './dialect.js';

/** A column of `sql out` and where its value comes from in each row object (a property path; blank: the column's name). */
export interface ColumnMapping {
  column: string;
  property: string;
}

export interface RowBatch {
  columns: string[];
  rows: unknown[][];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date);

/**
 * The rows of `msg.payload`: one object, an array of objects, or an array of arrays (with the
 * columns list, by position). Without a columns list, the columns are the objects' keys (a row
 * missing one stores NULL there). Every column name is checked; errors name the row and column.
 */
export function rowsFromPayload(payload: unknown, mapping: readonly ColumnMapping[]): RowBatch {
  const list: unknown[] = Array.isArray(payload) ? payload : payload === undefined || payload === null ? [] : [payload];
  if (mapping.length) {
    const columns = mapping.map((m) => checkIdentifier(m.column, 'column'));
    const rows = list.map((row, i) => {
      if (Array.isArray(row)) {
        if (row.length !== mapping.length) throw new Error(`row ${i} has ${row.length} values for ${mapping.length} columns`);
        return row as unknown[];
      }
      if (!isPlainObject(row)) throw new Error(`row ${i} is a ${typeof row}, not an object or an array`);
      return mapping.map((m) => {
        const path = m.property.trim() || m.column;
        return path.includes('.') || path.includes('[') ? nrUtil.getObjectProperty(row, path) : row[path];
      });
    });
    return { columns, rows };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  list.forEach((row, i) => {
    if (Array.isArray(row)) throw new Error(`row ${i} is an array: rows given as arrays need the node's columns list`);
    if (!isPlainObject(row)) throw new Error(`row ${i} is a ${row === null ? 'null' : typeof row}, not an object`);
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      checkIdentifier(key, `column (row ${i})`);
      seen.add(key);
      columns.push(key);
    }
  });
  const rows = list.map((row) => {
    const r = row as Record<string, unknown>;
    return columns.map((c) => (Object.hasOwn(r, c) ? r[c] : null));
  });
  return { columns, rows };
}
