/** The SQL a failure came from, shortened to one line for messages. */
export function sqlSnippet(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

interface DriverErrorFields {
  message?: unknown;
  /** PostgreSQL: 1-based character offset of the problem in the statement. */
  position?: unknown;
  /** PostgreSQL SQLSTATE, MySQL's symbolic code (ER_PARSE_ERROR). */
  code?: unknown;
}

/**
 * An error of a driver turned into one that names the statement: "syntax error at or near
 * "SELEC" (42601) near 'SELEC * FROM' in: SELEC * FROM t". The driver's error stays as `cause`.
 */
export function sqlError(where: string, err: unknown, sql: string): Error {
  const e = (err !== null && typeof err === 'object' ? err : { message: String(err) }) as DriverErrorFields;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? ` (${String(e.code)})` : '';
  let near = '';
  const pos = typeof e.position === 'string' ? Number(e.position) : typeof e.position === 'number' ? e.position : NaN;
  if (Number.isInteger(pos) && pos > 0 && pos <= sql.length) near = ` near '${sqlSnippet(sql.slice(pos - 1), 40)}'`;
  return new Error(`${where}: ${message}${code}${near} in: ${sqlSnippet(sql)}`, { cause: err });
}
