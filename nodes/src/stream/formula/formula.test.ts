import { describe, expect, it } from 'vitest';
import { evaluateFormula } from './evaluate.js';
import { FormulaError } from './lexer.js';
import { formulaNames, parseFormula } from './parser.js';

const run = (src: string, inputs: Record<string, number | boolean> = {}) => evaluateFormula(parseFormula(src), inputs);

const failure = (src: string, names?: string[]): FormulaError => {
  try {
    parseFormula(src, names);
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  throw new Error(`"${src}" parsed`);
};

describe('formula parser and evaluator', () => {
  it('respects precedence and associativity', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('10 - 4 - 3')).toBe(3);
    expect(run('24 / 4 / 2')).toBe(3);
    expect(run('-2 * -3')).toBe(6);
    expect(run('1.5e2 + .5')).toBe(150.5);
    expect(run('1 + 2 < 4 && 3 > 2 || false')).toBe(true);
    expect(run('!(1 == 1) || 2 != 2')).toBe(false);
    expect(run('1 < 2 == true')).toBe(true);
  });

  it('reads inputs and calls the built-in functions', () => {
    const inputs = { a: 3, b: -7.256, on: true };
    expect(run('a * 2 + b', inputs)).toBeCloseTo(-1.256);
    expect(run('min(a, b, 0)', inputs)).toBe(-7.256);
    expect(run('max(a, b)', inputs)).toBe(3);
    expect(run('abs(b)', inputs)).toBe(7.256);
    expect(run('round(b)', inputs)).toBe(-7);
    expect(run('round(b, 2)', inputs)).toBe(-7.26);
    expect(run('if(on, a, b)', inputs)).toBe(3);
    expect(run('if(a > 5, 1, if(a > 2, 2, 3))', inputs)).toBe(2);
    expect(run('on + on', inputs)).toBe(2);
  });

  it('evaluates if, && and || lazily', () => {
    const tree = parseFormula('if(a > 0, a, missing) + (a > 0 || missing) + (a < 0 && missing)');
    expect(evaluateFormula(tree, { a: 1 })).toBe(2);
    expect(() => evaluateFormula(tree, { a: -1 })).toThrow(/input "missing" has no value/);
  });

  it('lists the names a formula reads', () => {
    expect(formulaNames(parseFormula('a + max(b, a) * if(c, 1, d)'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names position and token of a syntax error', () => {
    let e = failure('a + * b');
    expect(e.code).toBe('FORMULA_SYNTAX');
    expect(e.position).toBe(5);
    expect(e.token).toBe('*');
    expect(e.message).toBe('expected a number, an input name or "(": unexpected token "*" at position 5');

    e = failure('(a + b');
    expect(e.message).toMatch(/expected "\)": unexpected end of formula at position 7/);

    e = failure('a b');
    expect(e.position).toBe(3);
    expect(e.token).toBe('b');

    e = failure('a = 1');
    expect(e.message).toBe('unexpected character "=" (use == to compare) at position 3');

    e = failure('a & b');
    expect(e.message).toMatch(/use &&\) at position 3/);

    e = failure('2x + 1');
    expect(e.message).toBe('malformed number "2x" at position 1');

    e = failure('min(a, b');
    expect(e.message).toMatch(/expected "," or "\)" in min\(...\): unexpected end of formula at position 9/);

    e = failure('a + $');
    expect(e.position).toBe(5);
    expect(e.token).toBe('$');

    e = failure('');
    expect(e.message).toMatch(/unexpected end of formula at position 1/);
  });

  it('rejects unknown names, unknown functions and wrong argument counts', () => {
    let e = failure('a + c', ['a', 'b']);
    expect(e.code).toBe('FORMULA_UNKNOWN_NAME');
    expect(e.message).toBe('unknown input "c"; inputs are a, b at position 5');
    e = failure('sqrt(a)', ['a']);
    expect(e.message).toMatch(/unknown function "sqrt"/);
    expect(e.position).toBe(1);
    e = failure('x + if(a, 1)', ['a', 'x']);
    expect(e.code).toBe('FORMULA_ARITY');
    expect(e.message).toBe('if() takes 3 argument(s), got 2 at position 5');
    e = failure('toString(a)', ['a']);
    expect(e.code).toBe('FORMULA_UNKNOWN_NAME');
    e = failure('constructor', ['a']);
    expect(e.code).toBe('FORMULA_UNKNOWN_NAME');
  });

  it('never executes JavaScript', () => {
    expect(() => parseFormula('process.exit(1)')).toThrow(FormulaError);
    expect(() => parseFormula('a["constructor"]')).toThrow(FormulaError);
    expect(() => parseFormula('`x`')).toThrow(FormulaError);
  });
});
