import { checkIdentifier, type Dialect } from './dialect.js';

export interface InsertPlan {
  table: string;
  columns: readonly string[];
  /** upsert: update the non-key columns of rows whose key exists (ON CONFLICT / ON DUPLICATE KEY). */
  mode: 'insert' | 'upsert';
  /** Conflict columns for PostgreSQL's ON CONFLICT (MySQL uses the table's own unique keys). */
  keys: readonly string[];
}

/** Rows per statement: the configured batch, fewer when the columns would pass the driver's parameter limit. */
export function rowsPerStatement(dialect: Dialect, columns: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(dialect.maxParams / Math.max(1, columns))));
}

/** One multi-row INSERT (or upsert) for `rows` rows, every value a placeholder. Identifiers are checked and quoted. */
export function insertStatement(dialect: Dialect, plan: InsertPlan, rows: number): string {
  const table = dialect.quote(checkIdentifier(plan.table, 'table'));
  const cols = plan.columns.map((c) => dialect.quote(checkIdentifier(c, 'column')));
  if (cols.length === 0) throw new Error(`no columns to insert into ${plan.table}`);
  const tuples: string[] = [];
  let p = 0;
  for (let r = 0; r < rows; r++) {
    const marks: string[] = [];
    for (let c = 0; c < cols.length; c++) marks.push(dialect.placeholder(p++));
    tuples.push(`(${marks.join(', ')})`);
  }
  let sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`;
  if (plan.mode === 'upsert') sql += ` ${upsertClause(dialect, plan)}`;
  return sql;
}

function upsertClause(dialect: Dialect, plan: InsertPlan): string {
  const keys = new Set(plan.keys);
  const update = plan.columns.filter((c) => !keys.has(c));
  if (dialect.driver === 'mysql') {
    // Without columns to update, assigning a key to itself keeps the row and skips the duplicate.
    const first = plan.columns[0] as string;
    const sets = update.length ? update.map((c) => `${dialect.quote(c)} = VALUES(${dialect.quote(c)})`) : [`${dialect.quote(first)} = ${dialect.quote(first)}`];
    return `ON DUPLICATE KEY UPDATE ${sets.join(', ')}`;
  }
  if (dialect.driver === 'questdb') throw new Error('QuestDB has no upsert over SQL: declare DEDUP keys on the table and use mode insert');
  if (keys.size === 0) throw new Error('upsert needs the key columns (ON CONFLICT target)');
  for (const k of keys) {
    if (!plan.columns.includes(k)) throw new Error(`key column "${k}" is not among the inserted columns`);
  }
  const target = `(${[...keys].map((k) => dialect.quote(checkIdentifier(k, 'key column'))).join(', ')})`;
  if (!update.length) return `ON CONFLICT ${target} DO NOTHING`;
  return `ON CONFLICT ${target} DO UPDATE SET ${update.map((c) => `${dialect.quote(c)} = EXCLUDED.${dialect.quote(c)}`).join(', ')}`;
}
