/**
 * Table and column names reach SQL text (DDL cannot take bind parameters), so every name is
 * checked against a deliberately narrow pattern before it is quoted. Names that pass are safe
 * inside double quotes and are accepted unchanged by ILP, so SQL and ILP always agree on them.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_IDENTIFIER_LENGTH = 127;

export class InvalidIdentifierError extends Error {
  readonly code = 'QUESTDB_INVALID_IDENTIFIER';
  /** Trying again cannot help. */
  readonly permanent = true;
  constructor(
    readonly what: string,
    readonly identifier: unknown,
    reason: string,
  ) {
    super(`invalid ${what} name ${JSON.stringify(identifier)}: ${reason}`);
    this.name = 'InvalidIdentifierError';
  }
}

/** Throws InvalidIdentifierError unless `name` is a plain identifier (letters, digits, underscore). */
export function checkIdentifier(name: unknown, what = 'identifier'): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidIdentifierError(what, name, 'must be a non-empty string');
  if (name.length > MAX_IDENTIFIER_LENGTH) {
    throw new InvalidIdentifierError(what, name, `longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  if (!IDENTIFIER.test(name)) {
    throw new InvalidIdentifierError(what, name, 'use letters, digits and underscores, not starting with a digit');
  }
  return name;
}

export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(name);
}

/** The checked name in double quotes, ready for SQL text. */
export function quoteIdentifier(name: string, what = 'identifier'): string {
  return `"${checkIdentifier(name, what)}"`;
}
