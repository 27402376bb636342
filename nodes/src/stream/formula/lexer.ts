/** Tokens of the merge node's formula language; positions are 1-based columns for error messages. */
export type TokenKind = 'number' | 'name' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  pos: number;
  value?: number;
}

export type FormulaErrorCode = 'FORMULA_SYNTAX' | 'FORMULA_UNKNOWN_NAME' | 'FORMULA_ARITY';

/** A bad formula, with where it went wrong; the deploy reports its message. */
export class FormulaError extends Error {
  readonly code: FormulaErrorCode;
  readonly position: number;
  readonly token: string;
  constructor(code: FormulaErrorCode, message: string, position: number, token: string) {
    super(`${message} at position ${position}`);
    this.name = 'FormulaError';
    this.code = code;
    this.position = position;
    this.token = token;
  }
}

const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/', '!'];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i)) as RegExpExecArray;
      const text = m[0];
      i += text.length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) {
        const bad = /^[\w.]+/.exec(src.slice(start)) as RegExpExecArray;
        throw new FormulaError('FORMULA_SYNTAX', `malformed number "${bad[0]}"`, start + 1, bad[0]);
      }
      tokens.push({ kind: 'number', text, pos: start + 1, value: Number(text) });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const text = (/^[A-Za-z_]\w*/.exec(src.slice(i)) as RegExpExecArray)[0];
      i += text.length;
      tokens.push({ kind: 'name', text, pos: start + 1 });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos: start + 1 });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) {
      const hint = c === '=' ? ' (use == to compare)' : c === '&' || c === '|' ? ` (use ${c}${c})` : '';
      throw new FormulaError('FORMULA_SYNTAX', `unexpected character "${c}"${hint}`, start + 1, c);
    }
    tokens.push({ kind: 'op', text: op, pos: start + 1 });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: 'end of formula', pos: src.length + 1 });
  return tokens;
}
