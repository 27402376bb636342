import { z } from 'zod';
import { columnTypeSchema, sqlType, type ColumnType } from './column-types.js';
import { checkIdentifier, quoteIdentifier } from './identifiers.js';

/**
 * Pure SQL builders for Gridflow's time-series tables: one row per device and instant, the device a
 * SYMBOL, a designated timestamp, daily partitions, WAL, and dedup keys on (timestamp, symbols) so
 * that replayed rows overwrite instead of duplicating. Tables only ever grow: new points become new
 * columns, nothing is dropped or retyped.
 */

export const ttlUnits = ['HOURS', 'DAYS', 'WEEKS', 'MONTHS', 'YEARS'] as const;
export const ttlSchema = z.object({ value: z.number().int().positive(), unit: z.enum(ttlUnits) });
export type Ttl = z.infer<typeof ttlSchema>;

export const partitionUnits = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type PartitionBy = (typeof partitionUnits)[number];

export const columnSpecSchema = z.object({ name: z.string(), type: columnTypeSchema });
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

export const tableLayoutSchema = z.object({
  table: z.string(),
  /** SYMBOL columns that identify a series; together with the timestamp they are the dedup keys. */
  symbols: z.array(z.string()).default(['device']),
  /** Value columns (points). */
  columns: z.array(columnSpecSchema).default([]),
  /** The designated timestamp column. */
  timestamp: z.string().default('ts'),
  partitionBy: z.enum(partitionUnits).default('DAY'),
  /** Dedup upsert keys; the timestamp and every symbol when absent. Must include the timestamp. */
  dedupKeys: z.array(z.string()).optional(),
  ttl: ttlSchema.optional(),
});
/** What callers (nodes, device thing models) describe; defaults are filled by `normalizeLayout`. */
export type TableLayoutInput = z.input<typeof tableLayoutSchema>;
export type TableLayout = z.output<typeof tableLayoutSchema>;

export class TableLayoutError extends Error {
  readonly code = 'QUESTDB_TABLE_LAYOUT';
  /** Trying again cannot help. */
  readonly permanent = true;
  constructor(
    readonly table: string,
    message: string,
  ) {
    super(`table "${table}": ${message}`);
    this.name = 'TableLayoutError';
  }
}

/** Validates names and fills defaults; throws InvalidIdentifierError or TableLayoutError. */
export function normalizeLayout(input: TableLayoutInput): TableLayout {
  const parsed = tableLayoutSchema.safeParse(input);
  if (!parsed.success) {
    const where = typeof input.table === 'string' ? input.table : '?';
    throw new TableLayoutError(
      where,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'layout'}: ${i.message}`).join('; '),
    );
  }
  const layout = parsed.data;
  checkIdentifier(layout.table, 'table');
  checkIdentifier(layout.timestamp, 'timestamp column');
  // QuestDB column names are case-insensitive, so duplicates are found case-insensitively.
  const seen = new Set<string>([layout.timestamp.toLowerCase()]);
  const claim = (name: string, what: string) => {
    checkIdentifier(name, what);
    if (seen.has(name.toLowerCase())) throw new TableLayoutError(layout.table, `column "${name}" is declared twice`);
    seen.add(name.toLowerCase());
  };
  for (const s of layout.symbols) claim(s, 'symbol column');
  for (const c of layout.columns) {
    if (c.name.toLowerCase() === layout.timestamp.toLowerCase()) {
      if (c.type !== 'timestamp')
        throw new TableLayoutError(layout.table, `column "${c.name}" is the designated timestamp, not ${c.type}`);
      continue;
    }
    claim(c.name, 'column');
  }
  const keys = layout.dedupKeys ?? [layout.timestamp, ...layout.symbols];
  if (!keys.some((k) => k.toLowerCase() === layout.timestamp.toLowerCase())) {
    throw new TableLayoutError(layout.table, `dedup keys must include the timestamp "${layout.timestamp}"`);
  }
  for (const k of keys) {
    if (!seen.has(checkIdentifier(k, 'dedup key').toLowerCase())) {
      throw new TableLayoutError(layout.table, `dedup key "${k}" is not a column`);
    }
  }
  return {
    ...layout,
    dedupKeys: keys,
    columns: layout.columns.filter((c) => c.name.toLowerCase() !== layout.timestamp.toLowerCase()),
  };
}

function ttlClause(ttl: Ttl | undefined): string {
  return ttl ? ` TTL ${ttl.value} ${ttl.unit}` : '';
}

/** Every column of the table in creation order: symbols, value columns, then the timestamp. */
export function layoutColumns(layout: TableLayout): ColumnSpec[] {
  return [
    ...layout.symbols.map((name) => ({ name, type: 'symbol' as ColumnType })),
    ...layout.columns,
    { name: layout.timestamp, type: 'timestamp' },
  ];
}

export function createTableSql(input: TableLayoutInput): string {
  const layout = normalizeLayout(input);
  const columns = layoutColumns(layout)
    .map((c) => `${quoteIdentifier(c.name)} ${sqlType(c.type)}`)
    .join(', ');
  const keys = (layout.dedupKeys ?? []).map((k) => quoteIdentifier(k)).join(', ');
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(layout.table, 'table')} (${columns})` +
    ` TIMESTAMP(${quoteIdentifier(layout.timestamp)}) PARTITION BY ${layout.partitionBy}${ttlClause(layout.ttl)}` +
    ` WAL DEDUP UPSERT KEYS(${keys})`
  );
}

/** A column as QuestDB reports it (SHOW COLUMNS): its name and QuestDB's type name. */
export interface ExistingColumn {
  name: string;
  type: string;
}

export interface ColumnConflict {
  column: string;
  declared: ColumnType;
  existing: string;
}

export interface TableEvolution {
  /** ALTER TABLE ... ADD COLUMN, one per missing column (WAL tables take one column per statement). */
  statements: string[];
  added: ColumnSpec[];
  /** Columns whose existing type differs from the declared one; left as they are. */
  conflicts: ColumnConflict[];
}

/** What it takes to bring an existing table up to the layout: added columns only, never a drop or a retype. */
export function planTableEvolution(input: TableLayoutInput, existing: readonly ExistingColumn[]): TableEvolution {
  const layout = normalizeLayout(input);
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  const table = quoteIdentifier(layout.table, 'table');
  const evolution: TableEvolution = { statements: [], added: [], conflicts: [] };
  for (const column of layoutColumns(layout)) {
    const found = byName.get(column.name.toLowerCase());
    if (!found) {
      evolution.added.push(column);
      evolution.statements.push(
        `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(column.name)} ${sqlType(column.type)}`,
      );
    } else if (found.type.toUpperCase() !== sqlType(column.type)) {
      evolution.conflicts.push({ column: column.name, declared: column.type, existing: found.type });
    }
  }
  return evolution;
}

/** Sets or (with no ttl) removes a table's retention. */
export function setTtlSql(table: string, ttl: Ttl | undefined): string {
  const t = ttl ? ttlSchema.parse(ttl) : undefined;
  return `ALTER TABLE ${quoteIdentifier(table, 'table')} SET TTL ${t ? `${t.value} ${t.unit}` : '0 HOURS'}`;
}

export { ttlClause };
