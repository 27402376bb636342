/**
 * Checks that a parameterised query and its values match before anything is sent: QuestDB quietly
 * binds a missing `$n` to NULL, which turns a mistake into an empty answer instead of an error.
 */

export type SqlParam = string | number | boolean | bigint | Date | null;

export class QuestDbParamError extends Error {
  readonly code = 'QUESTDB_PARAMS';
  constructor(message: string) {
    super(message);
    this.name = 'QuestDbParamError';
  }
}

/** The `$n` numbers used in the SQL text, outside quoted strings, quoted identifiers and comments. */
export function placeholdersIn(sql: string): number[] {
  const found = new Set<number>();
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      // Quotes inside are doubled ('it''s'), so scanning to the next quote and going on works.
      const end = sql.indexOf(ch, i + 1);
      i = end < 0 ? n : end + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === '$') {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j] as string)) j++;
      if (j > i + 1) found.add(Number(sql.slice(i + 1, j)));
      i = j;
    } else i++;
  }
  return [...found].sort((a, b) => a - b);
}

function describeParam(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * Returns the values as the PostgreSQL wire driver should get them, or throws QuestDbParamError when
 * the count does not match the placeholders or a value is not a scalar.
 */
export function checkParams(sql: string, params: readonly unknown[]): (string | number | boolean | null)[] {
  const used = placeholdersIn(sql);
  const highest = used.length ? (used[used.length - 1] as number) : 0;
  if (used.length !== highest) {
    const missing = Array.from({ length: highest }, (_, k) => k + 1).filter((k) => !used.includes(k));
    throw new QuestDbParamError(
      `the query uses $${highest} but not ${missing.map((k) => `$${k}`).join(', ')}; number placeholders $1..$n without gaps`,
    );
  }
  if (params.length !== highest) {
    throw new QuestDbParamError(
      highest === 0
        ? `the query has no placeholders but ${params.length} parameter${params.length === 1 ? ' was' : 's were'} given`
        : `the query uses $1..$${highest} but ${params.length} parameter${params.length === 1 ? ' was' : 's were'} given`,
    );
  }
  return params.map((value, k) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new QuestDbParamError(`parameter $${k + 1} is ${value}, not a finite number`);
      return value;
    }
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new QuestDbParamError(`parameter $${k + 1} is an invalid Date`);
      return value.toISOString();
    }
    throw new QuestDbParamError(
      `parameter $${k + 1} is ${describeParam(value)}; pass a string, number, boolean, bigint, Date or null`,
    );
  });
}
