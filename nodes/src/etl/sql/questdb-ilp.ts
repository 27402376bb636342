import { questDbConnection } from '../../storage/questdb/connection.js';
import type { ColumnType } from '../../storage/questdb/column-types.js';
import { createIlpSender } from '../../storage/questdb/ilp-sender.js';
import { prepareRow, type FieldValue, type PreparedRow, type Row } from '../../storage/questdb/row.js';
import { checkIdentifier } from './dialect.js';
import type { Query } from './driver.js';

interface TableLayout {
  /** The designated timestamp column; rows without a value there are refused. */
  timestamp: string | undefined;
  types: Map<string, ColumnType>;
}

// QuestDB's type names (table_columns) and the column types the ILP encoder knows.
const TYPES: Record<string, ColumnType> = {
  double: 'double',
  float: 'float',
  long: 'long',
  int: 'int',
  short: 'short',
  byte: 'byte',
  boolean: 'boolean',
  varchar: 'varchar',
  string: 'varchar',
  char: 'varchar',
  symbol: 'symbol',
  timestamp: 'timestamp',
  date: 'timestamp',
  uuid: 'uuid',
};

export interface IlpLoaderOptions {
  connection: { host: string; httpPort: number; user: string; password: string; tls: boolean };
  /** SQL on the same QuestDB, to read a table's columns. */
  query: Query;
  requestTimeoutMs: number;
}

/**
 * Loads rows into an existing QuestDB table over ILP/HTTP, many times faster than INSERT over the
 * PostgreSQL wire: the table's columns (types, designated timestamp) are read once, each row is
 * encoded with them, and one HTTP request per call carries all the rows (QuestDB commits them
 * together or refuses them with the line at fault).
 */
export function createIlpLoader(o: IlpLoaderOptions) {
  const sender = createIlpSender({ connection: questDbConnection({ ...o.connection }), requestTimeoutMs: o.requestTimeoutMs });
  const layouts = new Map<string, Promise<TableLayout>>();

  async function readLayout(table: string): Promise<TableLayout> {
    // A checked identifier, so quoting it as a literal is safe; table_columns takes no bind variable.
    const { rows } = await o.query(`SELECT "column", type, designated FROM table_columns('${checkIdentifier(table, 'table')}')`, []);
    if (!rows.length) throw new Error(`table ${table} does not exist in QuestDB: create it (with its designated timestamp and SYMBOL columns) first`);
    const types = new Map<string, ColumnType>();
    let timestamp: string | undefined;
    for (const r of rows) {
      const name = String(r['column']);
      const type = TYPES[String(r['type']).toLowerCase()];
      if (!type) throw new Error(`column ${name} of ${table} has type ${String(r['type'])}, which loading over ILP does not write: use ingest "sql"`);
      types.set(name, type);
      if (r['designated'] === true) timestamp = name;
    }
    return { timestamp, types };
  }

  function layoutOf(table: string): Promise<TableLayout> {
    let l = layouts.get(table);
    if (!l) {
      l = readLayout(table);
      layouts.set(table, l);
      // A failed look-up (table not created yet) is tried again with the next rows.
      l.catch(() => layouts.delete(table));
    }
    return l;
  }

  return {
    async load(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
      const layout = await layoutOf(table);
      for (const c of columns) if (!layout.types.has(c)) throw new Error(`table ${table} has no column ${c}`);
      const tsIndex = layout.timestamp ? columns.indexOf(layout.timestamp) : -1;
      if (layout.timestamp && tsIndex < 0) throw new Error(`the rows have no value for ${table}'s designated timestamp ${layout.timestamp}`);
      // The types are the same for every row: one object for the whole call. Per-row objects are
      // what a long copy spends its time on (allocating and collecting), so only the fields are per row.
      const types: Record<string, ColumnType> = {};
      const fieldIndexes: number[] = [];
      for (let k = 0; k < columns.length; k++) {
        if (k === tsIndex) continue;
        const c = columns[k] as string;
        types[c] = layout.types.get(c) as ColumnType;
        fieldIndexes.push(k);
      }
      const prepared: PreparedRow[] = new Array<PreparedRow>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const values = rows[i] as readonly unknown[];
        const fields: Record<string, FieldValue> = {};
        for (const k of fieldIndexes) fields[columns[k] as string] = values[k] as FieldValue;
        const ts = tsIndex >= 0 ? values[tsIndex] : undefined;
        if (tsIndex >= 0 && (ts === null || ts === undefined)) throw new Error(`row ${i} has no ${layout.timestamp ?? 'timestamp'}`);
        try {
          const row: Row = { table, columns: fields, types };
          if (ts !== undefined) row.ts = ts as Date | number | string;
          prepared[i] = prepareRow(row);
        } catch (err) {
          throw new Error(`row ${i}: ${(err as Error).message}`, { cause: err });
        }
      }
      await sender.send(prepared);
    },
    close: () => sender.close(),
  };
}
