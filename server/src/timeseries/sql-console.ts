import type { SqlColumn, SqlResponse } from '@gridflow/runtime/contract';
import type { SqlClient } from '@gridflow/nodes/storage';

/**
 * The data explorer's SQL console: one read-only statement. QuestDB has no read-only login over
 * the PostgreSQL wire, so the statement is checked here: it must start with SELECT, WITH, SHOW,
 * EXPLAIN or DECLARE, and no word that writes or changes anything may appear outside string
 * literals, quoted names and comments. It then runs through a cursor (the extended protocol,
 * which takes one statement only) and stops reading after `limit` rows.
 */

export class ReadOnlySqlError extends Error {
  readonly code = 'SQL_NOT_READ_ONLY';
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlySqlError';
  }
}

const LEADING = new Set(['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'DECLARE']);
const WRITING = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'DROP',
  'ALTER',
  'CREATE',
  'TRUNCATE',
  'RENAME',
  'COPY',
  'BACKUP',
  'VACUUM',
  'REINDEX',
  'GRANT',
  'REVOKE',
  'CHECKPOINT',
  'SNAPSHOT',
  'CANCEL',
  'SET',
  'REFRESH',
  'RESUME',
  'SUSPEND',
  'INTO',
]);

/** The SQL with string literals, quoted names and comments blanked, so only real keywords remain. */
export function stripLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      i = end < 0 ? sql.length : end + 1;
      out += ' ';
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      out += ' ';
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      out += ' ';
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Throws ReadOnlySqlError naming what is not allowed. */
export function checkReadOnly(sql: string): void {
  const bare = stripLiterals(sql).trim().replace(/;\s*$/, '');
  if (bare.includes(';')) throw new ReadOnlySqlError('give one statement only (no ";" between statements)');
  const words = bare.toUpperCase().match(/[A-Z_][A-Z0-9_]*/g) ?? [];
  const first = words[0];
  if (!first || !LEADING.has(first)) {
    throw new ReadOnlySqlError(
      `only queries may run here (SELECT, WITH, SHOW, EXPLAIN), not ${first ?? 'an empty statement'}`,
    );
  }
  const writing = words.find((w) => WRITING.has(w));
  if (writing) throw new ReadOnlySqlError(`the console is read-only: ${writing} is not allowed`);
}

function kindOf(typeId: number): SqlColumn['kind'] {
  if (typeId === 1114 || typeId === 1184 || typeId === 1082) return 'timestamp';
  if ([20, 21, 23, 700, 701, 1700].includes(typeId)) return 'number';
  if (typeId === 16) return 'boolean';
  if ([18, 19, 25, 1042, 1043].includes(typeId)) return 'string';
  return 'other';
}

const cell = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v);

export async function runConsoleQuery(sql: SqlClient, text: string, limit: number): Promise<SqlResponse> {
  checkReadOnly(text);
  const started = performance.now();
  const statement = text.trim().replace(/;\s*$/, '');
  const rows: unknown[][] = [];
  let columns: SqlColumn[] = [];
  let truncated = false;
  const pageRows = Math.min(limit + 1, 5000);
  outer: for await (const page of sql.pages(statement, [], { pageRows })) {
    if (columns.length === 0)
      columns = page.columns.map((c) => ({ name: c.name, typeId: c.typeId, kind: kindOf(c.typeId) }));
    for (const r of page.rows) {
      if (rows.length === limit) {
        truncated = true;
        break outer; // leaving the loop closes the cursor
      }
      rows.push(columns.map((c) => cell(r[c.name])));
    }
  }
  return { columns, rows, rowCount: rows.length, truncated, elapsedMs: Math.round(performance.now() - started) };
}
