/** Errors from the SQL side, with QuestDB's own message and where in the query it points. */

export class QuestDbSqlError extends Error {
  readonly code = 'QUESTDB_SQL';
  /** QuestDB answered, so running the same query again will fail the same way. */
  readonly permanent = true;
  constructor(
    /** QuestDB's message, unchanged. */
    readonly questdbMessage: string,
    readonly sql: string,
    /** 1-based character position in `sql`, as the PostgreSQL wire protocol reports it. */
    readonly position: number | undefined,
  ) {
    super(formatSqlError(questdbMessage, sql, position));
    this.name = 'QuestDbSqlError';
  }
}

export class QuestDbUnavailableError extends Error {
  readonly code = 'QUESTDB_UNAVAILABLE';
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(`cannot reach ${target}: ${describeCause(cause)}`, { cause });
    this.name = 'QuestDbUnavailableError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length) return describeCause(cause.errors[0]);
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return cause.message || (typeof code === 'string' ? code : cause.name);
  }
  return String(cause);
}

function formatSqlError(message: string, sql: string, position: number | undefined): string {
  if (position === undefined || position < 1 || position > sql.length + 1) return `QuestDB: ${message}`;
  const at = position - 1;
  const before = sql.slice(Math.max(0, at - 20), at).replace(/\s+/g, ' ');
  const after = sql.slice(at, at + 30).replace(/\s+/g, ' ');
  return `QuestDB: ${message} (at character ${position}: ${at > 20 ? '…' : ''}${before}>>${after}${at + 30 < sql.length ? '…' : ''})`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** True for errors where QuestDB never answered: refused, reset, timed out, connection ended. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
    err.message,
  );
}

/** Turns what the pg driver threw into QuestDbSqlError / QuestDbUnavailableError; anything else is returned as is. */
export function toSqlError(err: unknown, sql: string, target: string): Error {
  if (err instanceof QuestDbSqlError || err instanceof QuestDbUnavailableError) return err;
  if (err instanceof Error && typeof (err as { severity?: unknown }).severity === 'string') {
    const raw = (err as { position?: unknown }).position;
    const position = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
    return new QuestDbSqlError(err.message, sql, position);
  }
  if (isConnectionError(err)) return new QuestDbUnavailableError(target, err);
  return err instanceof Error ? err : new Error(String(err));
}
