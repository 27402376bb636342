import { FormulaError, tokenize, type Token } from './lexer.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
export type FunctionName = 'if' | 'min' | 'max' | 'abs' | 'round';

/** The formula as a tree; evaluated by walking it, never by eval or new Function. */
export type FormulaNode =
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'unary'; op: '!' | '-'; arg: FormulaNode }
  | { kind: 'binary'; op: BinaryOp; left: FormulaNode; right: FormulaNode }
  | { kind: 'call'; fn: FunctionName; args: FormulaNode[] };

const ARITY: Record<FunctionName, [number, number]> = {
  if: [3, 3],
  min: [1, Infinity],
  max: [1, Infinity],
  abs: [1, 1],
  round: [1, 2],
};

const LEVELS: BinaryOp[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/']];

const describe = (t: Token) => (t.kind === 'end' ? 'end of formula' : `token "${t.text}"`);

/**
 * Parses a formula by recursive descent, one function per precedence level. `names`, when given,
 * are the only identifiers allowed (the merge node's input names).
 */
export function parseFormula(src: string, names?: readonly string[]): FormulaNode {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i] as Token;
  const next = () => tokens[i++] as Token;
  const fail = (t: Token, what: string): never => {
    throw new FormulaError('FORMULA_SYNTAX', `${what}: unexpected ${describe(t)}`, t.pos, t.text);
  };
  const expect = (kind: Token['kind'], what: string) => {
    const t = next();
    if (t.kind !== kind) fail(t, `expected ${what}`);
    return t;
  };

  const binary = (level: number): FormulaNode => {
    const ops = LEVELS[level];
    if (!ops) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.kind !== 'op' || !ops.includes(t.text as BinaryOp)) return left;
      next();
      const right = binary(level + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right };
    }
  };

  const unary = (): FormulaNode => {
    const t = peek();
    if (t.kind === 'op' && (t.text === '!' || t.text === '-' || t.text === '+')) {
      next();
      const arg = unary();
      return t.text === '+' ? arg : { kind: 'unary', op: t.text, arg };
    }
    return primary();
  };

  const primary = (): FormulaNode => {
    const t = next();
    if (t.kind === 'number') return { kind: 'number', value: t.value as number };
    if (t.kind === 'lparen') {
      const inner = binary(0);
      expect('rparen', '")"');
      return inner;
    }
    if (t.kind === 'name') {
      if (peek().kind === 'lparen') return call(t);
      if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true' };
      if (names && !names.includes(t.text)) {
        const known = names.length ? `; inputs are ${names.join(', ')}` : '';
        throw new FormulaError('FORMULA_UNKNOWN_NAME', `unknown input "${t.text}"${known}`, t.pos, t.text);
      }
      return { kind: 'name', name: t.text, pos: t.pos };
    }
    return fail(t, 'expected a number, an input name or "("');
  };

  const call = (nameToken: Token): FormulaNode => {
    const fn = nameToken.text as FunctionName;
    const arity = Object.hasOwn(ARITY, fn) ? ARITY[fn] : undefined;
    if (!arity) {
      throw new FormulaError(
        'FORMULA_UNKNOWN_NAME',
        `unknown function "${nameToken.text}" (functions: if, min, max, abs, round)`,
        nameToken.pos,
        nameToken.text,
      );
    }
    next(); // (
    const args: FormulaNode[] = [];
    if (peek().kind !== 'rparen') {
      args.push(binary(0));
      while (peek().kind === 'comma') {
        next();
        args.push(binary(0));
      }
    }
    const close = peek();
    if (close.kind !== 'rparen') fail(close, `expected "," or ")" in ${fn}(...)`);
    next();
    if (args.length < arity[0] || args.length > arity[1]) {
      const want =
        arity[0] === arity[1]
          ? `${arity[0]}`
          : arity[1] === Infinity
            ? `at least ${arity[0]}`
            : `${arity[0]} or ${arity[1]}`;
      throw new FormulaError(
        'FORMULA_ARITY',
        `${fn}() takes ${want} argument(s), got ${args.length}`,
        nameToken.pos,
        nameToken.text,
      );
    }
    return { kind: 'call', fn, args };
  };

  const tree = binary(0);
  const rest = peek();
  if (rest.kind !== 'end') fail(rest, 'expected an operator or end of formula');
  return tree;
}

/** The input names a formula reads, in order of first use. */
export function formulaNames(node: FormulaNode, out: string[] = []): string[] {
  switch (node.kind) {
    case 'name':
      if (!out.includes(node.name)) out.push(node.name);
      break;
    case 'unary':
      formulaNames(node.arg, out);
      break;
    case 'binary':
      formulaNames(node.left, out);
      formulaNames(node.right, out);
      break;
    case 'call':
      for (const a of node.args) formulaNames(a, out);
      break;
    default:
      break;
  }
  return out;
}
