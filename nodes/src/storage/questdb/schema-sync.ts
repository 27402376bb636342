import { inferColumnType, type ColumnType } from './column-types.js';
import { quoteIdentifier } from './identifiers.js';
import { downsampleViews, type DownsampleOptions } from './materialized-views.js';
import type { Row } from './row.js';
import type { SqlClient } from './sql-client.js';
import {
  createTableSql,
  normalizeLayout,
  planTableEvolution,
  setTtlSql,
  type ColumnConflict,
  type ColumnSpec,
  type ExistingColumn,
  type PartitionBy,
  type TableLayoutInput,
  type Ttl,
} from './table-layout.js';

/** Applies table layouts to a live QuestDB: creates, adds columns, sets TTL, creates downsampling views. */

export interface EnsureTableOptions {
  /** Materialized views to create for the table (IF NOT EXISTS); none when absent. */
  views?: DownsampleOptions;
}

export interface EnsureTableResult {
  created: boolean;
  added: ColumnSpec[];
  /** Columns whose existing type differs from the layout; they are left unchanged. */
  conflicts: ColumnConflict[];
  views: string[];
}

/** The table's columns as QuestDB reports them, or undefined when there is no such table. */
export async function readColumns(sql: SqlClient, table: string): Promise<ExistingColumn[] | undefined> {
  const quoted = quoteIdentifier(table, 'table');
  const exists = await sql.query('SELECT table_name FROM tables() WHERE lower(table_name) = lower($1)', [table]);
  if (exists.rowCount === 0) return undefined;
  // DDL and SHOW take no bind parameters; the name was checked by quoteIdentifier.
  const result = await sql.query<{ column: string; type: string }>(`SHOW COLUMNS FROM ${quoted}`);
  return result.rows.map((r) => ({ name: r.column, type: r.type }));
}

export async function ensureTable(
  sql: SqlClient,
  input: TableLayoutInput,
  options: EnsureTableOptions = {},
): Promise<EnsureTableResult> {
  const layout = normalizeLayout(input);
  const existing = await readColumns(sql, layout.table);
  const result: EnsureTableResult = { created: false, added: [], conflicts: [], views: [] };
  if (!existing) {
    await sql.query(createTableSql(layout));
    result.created = true;
  } else {
    const evolution = planTableEvolution(layout, existing);
    for (const statement of evolution.statements) await sql.query(statement);
    result.added = evolution.added;
    result.conflicts = evolution.conflicts;
    if (layout.ttl) await sql.query(setTtlSql(layout.table, layout.ttl));
  }
  if (options.views) {
    for (const view of downsampleViews(layout, options.views)) {
      await sql.query(view.sql);
      result.views.push(view.name);
    }
  }
  return result;
}

export interface TablePreparerOptions {
  sql: SqlClient;
  /** SYMBOL columns every table gets (their values may be missing in a row). */
  symbols?: string[];
  timestamp?: string;
  partitionBy?: PartitionBy;
  ttl?: Ttl;
  views?: DownsampleOptions;
  log?: (level: 'info' | 'warn', message: string) => void;
}

/**
 * A `prepareTable` hook for the writer: before rows reach a table over ILP (which would create it
 * without dedup keys and type columns by guess), the table is created from the rows' symbols and
 * declared types, and columns that appear later are added. What is known is cached, so a batch
 * with no new table or column costs no SQL.
 */
export function createTablePreparer(
  options: TablePreparerOptions,
): (table: string, rows: readonly Row[]) => Promise<void> {
  const known = new Map<string, Set<string>>();
  return async (table, rows) => {
    const seen = known.get(table.toLowerCase());
    const symbols = new Set(options.symbols ?? ['device']);
    const columns = new Map<string, ColumnType>();
    let fresh = !seen;
    for (const row of rows) {
      for (const name of Object.keys(row.symbols ?? {})) {
        if (!symbols.has(name)) symbols.add(name);
        if (seen && !seen.has(name.toLowerCase())) fresh = true;
      }
      for (const [name, value] of Object.entries(row.columns ?? {})) {
        if (columns.has(name)) continue;
        const type = row.types?.[name] ?? inferColumnType(value);
        if (!type) continue;
        columns.set(name, type);
        if (seen && !seen.has(name.toLowerCase())) fresh = true;
      }
    }
    if (!fresh) return;
    const columnSpecs = [...columns].filter(([name]) => !symbols.has(name)).map(([name, type]) => ({ name, type }));
    const timestamp = options.timestamp ?? 'ts';
    const layout: TableLayoutInput = {
      table,
      symbols: [...symbols],
      columns: columnSpecs.filter((c) => c.name.toLowerCase() !== timestamp.toLowerCase()),
      timestamp,
      ...(options.partitionBy ? { partitionBy: options.partitionBy } : {}),
      ...(options.ttl ? { ttl: options.ttl } : {}),
    };
    const result = await ensureTable(options.sql, layout, options.views ? { views: options.views } : {});
    if (result.created) options.log?.('info', `created table "${table}" with dedup keys`);
    for (const c of result.conflicts) {
      options.log?.(
        'warn',
        `table "${table}": column "${c.column}" is ${c.existing} in QuestDB, not ${c.declared}; kept as it is`,
      );
    }
    const names = seen ?? new Set<string>();
    for (const s of symbols) names.add(s.toLowerCase());
    for (const c of columnSpecs) names.add(c.name.toLowerCase());
    known.set(table.toLowerCase(), names);
  };
}

/**
 * Waits until QuestDB has applied every WAL transaction of the table, DDL included: on a WAL table
 * an ALTER returns before the change is visible to every reader, and a view built on a column
 * added a moment ago could otherwise fail to find it.
 */
export async function waitForWalApplied(sql: SqlClient, table: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ writerTxn: number; sequencerTxn: number; suspended: boolean }>(
      'SELECT writerTxn, sequencerTxn, suspended FROM wal_tables() WHERE lower(name) = lower($1)',
      [table],
    );
    const row = rows[0];
    if (!row || Number(row.writerTxn) >= Number(row.sequencerTxn)) return;
    if (row.suspended) throw new Error(`the WAL of table "${table}" is suspended; see QuestDB's log`);
    if (Date.now() > deadline)
      throw new Error(`table "${table}": QuestDB has not applied its changes within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
