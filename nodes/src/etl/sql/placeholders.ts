import type { Dialect } from './dialect.js';

/**
 * A query with named parameters (`:since`) turned into the driver's placeholders ($1 or ?).
 * Values are always bound, never written into the SQL text. Queries without named parameters
 * pass through and take positional values.
 */
export interface CompiledQuery {
  text: string;
  /** Parameter names in placeholder order (a name used twice appears twice); empty for positional queries. */
  names: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Skips a quoted run starting at `i` (the opening quote); a doubled quote inside is an escaped one. */
function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === '\\' && quote !== '"') {
      j += 2;
      continue;
    }
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return j;
}

export function compileNamedQuery(sql: string, dialect: Dialect): CompiledQuery {
  const names: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    let end = i + 1;
    if (ch === "'" || ch === '"' || ch === '`') end = skipQuoted(sql, i, ch);
    else if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else if (ch === '$' && dialect.driver !== 'mysql') {
      // PostgreSQL dollar quoting: $$...$$ or $tag$...$tag$.
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        end = close < 0 ? sql.length : close + m[0].length;
      }
    } else if (ch === ':' && next === ':') end = i + 2; // a PostgreSQL cast
    else if (ch === ':' && next !== undefined && NAME_START.test(next) && sql[i - 1] !== ':') {
      let j = i + 1;
      while (j < sql.length && NAME_CHAR.test(sql[j] as string)) j++;
      names.push(sql.slice(i + 1, j));
      out += dialect.placeholder(names.length - 1);
      i = j;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return { text: names.length ? out : sql, names };
}
