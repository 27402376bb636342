/** The SQL dialects the sql nodes speak. QuestDB is reached over its PostgreSQL wire protocol. */
export type SqlDriverName = 'postgres' | 'mysql' | 'questdb';

export interface Dialect {
  readonly driver: SqlDriverName;
  /** The driver's placeholder for the i-th (0-based) value. */
  placeholder(i: number): string;
  /** Quotes an identifier that `checkIdentifier` accepted. */
  quote(name: string): string;
  /** Most bound values one statement may carry. */
  readonly maxParams: number;
}

// Plain names only: letters, digits, _ and $ (not first), at most 63 characters (PostgreSQL's limit), optionally schema-qualified.
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Throws an error naming `what` unless `name` is a plain (optionally schema.qualified) identifier. */
export function checkIdentifier(name: string, what: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    throw new Error(`${what} "${name}" is not a valid identifier: use letters, digits and _ (optionally schema.name), at most 63 characters`);
  }
  return name;
}

const pgQuote = (name: string) => name.split('.').map((p) => `"${p}"`).join('.');
const myQuote = (name: string) => name.split('.').map((p) => `\`${p}\``).join('.');

export function dialectOf(driver: SqlDriverName): Dialect {
  if (driver === 'mysql') return { driver, placeholder: () => '?', quote: myQuote, maxParams: 65_535 };
  return { driver, placeholder: (i) => `$${i + 1}`, quote: pgQuote, maxParams: driver === 'questdb' ? 32_767 : 65_535 };
}
