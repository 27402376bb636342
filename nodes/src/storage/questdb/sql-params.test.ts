import { describe, expect, it } from 'vitest';
import { checkParams, placeholdersIn, QuestDbParamError } from './sql-params.js';

describe('placeholdersIn', () => {
  it('finds $n outside strings, quoted names and comments', () => {
    expect(placeholdersIn('SELECT * FROM t WHERE a = $1 AND b > $2 OR c = $1')).toEqual([1, 2]);
    expect(placeholdersIn(`SELECT '$3', "odd$4" FROM t -- $5\nWHERE x = $1 /* $6 */`)).toEqual([1]);
    expect(placeholdersIn(`SELECT 'it''s $2' WHERE a = $1`)).toEqual([1]);
    expect(placeholdersIn('SELECT $$ FROM t')).toEqual([]);
  });
});

describe('checkParams', () => {
  it('passes scalars through and turns bigints and Dates into text', () => {
    expect(checkParams('SELECT $1, $2, $3, $4, $5, $6', ['a', 2, true, 5n, new Date(0), null])).toEqual([
      'a',
      2,
      true,
      '5',
      '1970-01-01T00:00:00.000Z',
      null,
    ]);
  });

  it('refuses a count that does not match, gaps and non-scalar values, with clear messages', () => {
    const cases: [string, unknown[], RegExp][] = [
      ['SELECT * FROM t WHERE a = $1 AND b = $2', ['x'], /uses \$1\.\.\$2 but 1 parameter was given/],
      ['SELECT 1', [1, 2], /no placeholders but 2 parameters were given/],
      ['SELECT $1, $3', [1, 2, 3], /uses \$3 but not \$2/],
      ['SELECT $1', [{ a: 1 }], /parameter \$1 is an object/],
      ['SELECT $1', [[1]], /parameter \$1 is an array/],
      ['SELECT $1', [Number.NaN], /not a finite number/],
      ['SELECT $1', [new Date('nope')], /invalid Date/],
    ];
    for (const [sql, params, message] of cases) {
      expect(() => checkParams(sql, params), sql).toThrow(QuestDbParamError);
      expect(() => checkParams(sql, params), sql).toThrow(message);
    }
  });
});
