import { describe, expect, it } from 'vitest';
import { checkReadOnly, ReadOnlySqlError, stripLiterals } from './sql-console.js';

describe('read-only SQL check', () => {
  it('accepts queries, including write words inside strings, quoted names and comments', () => {
    for (const sql of [
      'SELECT * FROM mp_pk',
      "select count() from mp_pk where device = 'drop';",
      'WITH x AS (SELECT 1 a) SELECT * FROM x',
      'SHOW TABLES',
      'EXPLAIN SELECT 1',
      'SELECT "insert", \'delete; drop\' FROM t -- drop table t\n',
      'SELECT 1 /* ; DROP TABLE t */',
    ]) {
      expect(() => checkReadOnly(sql), sql).not.toThrow();
    }
  });

  it('refuses anything that writes, and more than one statement', () => {
    const cases: [string, RegExp][] = [
      ['DROP TABLE mp_pk', /not DROP/],
      ['INSERT INTO t VALUES (1)', /not INSERT/],
      ['SELECT 1; DROP TABLE t', /one statement/],
      ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', /INSERT is not allowed/],
      ['ALTER TABLE t DROP COLUMN c', /not ALTER/],
      ['', /empty/],
      ['-- only a comment', /empty/],
    ];
    for (const [sql, message] of cases) {
      expect(() => checkReadOnly(sql), sql).toThrow(ReadOnlySqlError);
      expect(() => checkReadOnly(sql), sql).toThrow(message);
    }
  });

  it('blanks literals and comments', () => {
    expect(stripLiterals(`a 'b;c' "d" -- e\nf /* g */ h`)).toBe('a      \nf   h');
  });
});
