import { describe, expect, it } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { dialectOf } from './dialect.js';
import { insertStatement, rowsPerStatement } from './insert.js';
import { bindValues, type CompiledParam } from './params.js';
import { compileNamedQuery } from './placeholders.js';
import { rowsFromPayload } from './rows.js';
import { sqlError, sqlSnippet } from './sql-errors.js';

const pg = dialectOf('postgres');
const my = dialectOf('mysql');
const quest = dialectOf('questdb');
const constant = (name: string, value: unknown): CompiledParam => ({
  name,
  value: { type: 'str', value: String(value), async: false, get: () => value, getAsync: () => Promise.resolve(value), evaluate: () => value },
});

describe('named placeholders', () => {
  it('turns :names into the driver\'s placeholders, a name used twice twice', () => {
    expect(compileNamedQuery('SELECT * FROM t WHERE a = :a AND b > :b OR a = :a', pg)).toEqual({ text: 'SELECT * FROM t WHERE a = $1 AND b > $2 OR a = $3', names: ['a', 'b', 'a'] });
    expect(compileNamedQuery('SELECT * FROM t WHERE a = :a', my)).toEqual({ text: 'SELECT * FROM t WHERE a = ?', names: ['a'] });
  });

  it('leaves casts, strings, quoted names, comments and dollar quotes alone', () => {
    const sql = `SELECT ':no', "col:x", x::int, $$ :no $$, $tag$ :no $tag$ -- :no
      /* :no */ FROM t WHERE y = :yes AND z = 'it''s :no'`;
    const q = compileNamedQuery(sql, pg);
    expect(q.names).toEqual(['yes']);
    expect(q.text).toContain('y = $1');
    expect(q.text).toContain("'it''s :no'");
  });

  it('passes positional queries through', () => {
    expect(compileNamedQuery('SELECT $1, $2', pg)).toEqual({ text: 'SELECT $1, $2', names: [] });
  });
});

describe('bound values', () => {
  const msg = (extra: Record<string, unknown>): Msg => ({ _msgid: 'm', ...extra });
  it('takes named values from the node first, then msg.params, and names a missing one', async () => {
    const q = compileNamedQuery('SELECT :a, :b, :a', pg);
    expect(await bindValues(q, [constant('a', 1)], msg({ params: { b: "x'; DROP TABLE t; --" } }))).toEqual([1, "x'; DROP TABLE t; --", 1]);
    await expect(bindValues(q, [constant('a', 1)], msg({}))).rejects.toThrow('parameter :b has no value: add it to the node\'s parameters or set msg.params.b');
  });

  it('takes positional values from the node list, else the msg.params array', async () => {
    const q = compileNamedQuery('SELECT $1, $2', pg);
    expect(await bindValues(q, [constant('', 5), constant('', 'a')], msg({ params: [9] }))).toEqual([5, 'a']);
    expect(await bindValues(q, [], msg({ params: [9, 8] }))).toEqual([9, 8]);
    await expect(bindValues(q, [], msg({ params: { a: 1 } }))).rejects.toThrow(/msg.params must be an array/);
  });
});

describe('insert statements', () => {
  it('builds multi-row inserts with every value a placeholder', () => {
    expect(insertStatement(pg, { table: 's.t', columns: ['a', 'b'], mode: 'insert', keys: [] }, 2)).toBe('INSERT INTO "s"."t" ("a", "b") VALUES ($1, $2), ($3, $4)');
    expect(insertStatement(my, { table: 't', columns: ['a'], mode: 'insert', keys: [] }, 2)).toBe('INSERT INTO `t` (`a`) VALUES (?), (?)');
  });

  it('builds upserts for PostgreSQL and MySQL, and refuses them for QuestDB', () => {
    expect(insertStatement(pg, { table: 't', columns: ['id', 'v'], mode: 'upsert', keys: ['id'] }, 1)).toBe(
      'INSERT INTO "t" ("id", "v") VALUES ($1, $2) ON CONFLICT ("id") DO UPDATE SET "v" = EXCLUDED."v"',
    );
    expect(insertStatement(pg, { table: 't', columns: ['id'], mode: 'upsert', keys: ['id'] }, 1)).toContain('ON CONFLICT ("id") DO NOTHING');
    expect(insertStatement(my, { table: 't', columns: ['id', 'v'], mode: 'upsert', keys: ['id'] }, 1)).toBe('INSERT INTO `t` (`id`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)');
    // Without keys MySQL still finds the duplicate by the table's unique keys; every column is set (a key to itself).
    expect(insertStatement(my, { table: 't', columns: ['id', 'v'], mode: 'upsert', keys: [] }, 1)).toContain('UPDATE `id` = VALUES(`id`), `v` = VALUES(`v`)');
    expect(() => insertStatement(quest, { table: 't', columns: ['a'], mode: 'upsert', keys: ['a'] }, 1)).toThrow(/QuestDB has no upsert/);
  });

  it('refuses identifiers that are not plain names', () => {
    expect(() => insertStatement(pg, { table: 't; DROP TABLE x', columns: ['a'], mode: 'insert', keys: [] }, 1)).toThrow(/table "t; DROP TABLE x" is not a valid identifier/);
    expect(() => insertStatement(pg, { table: 't', columns: ['a"b'], mode: 'insert', keys: [] }, 1)).toThrow(/column "a"b"/);
  });

  it('keeps a statement under the driver\'s parameter limit', () => {
    expect(rowsPerStatement(pg, 10, 100_000)).toBe(6553);
    expect(rowsPerStatement(quest, 10, 100_000)).toBe(3276);
    expect(rowsPerStatement(pg, 3, 500)).toBe(500);
  });
});

describe('rows from msg.payload', () => {
  it('takes columns from the objects\' keys, NULL where a row lacks one', () => {
    expect(rowsFromPayload([{ a: 1 }, { b: 2 }], [])).toEqual({ columns: ['a', 'b'], rows: [[1, null], [null, 2]] });
    expect(rowsFromPayload({ a: 1 }, [])).toEqual({ columns: ['a'], rows: [[1]] });
    expect(rowsFromPayload(null, [])).toEqual({ columns: [], rows: [] });
  });

  it('maps columns from properties and arrays by position, naming a bad row', () => {
    const mapping = [{ column: 'id', property: 'meta.id' }, { column: 'v', property: '' }];
    expect(rowsFromPayload([{ meta: { id: 7 }, v: 'x' }, [8, 'y']], mapping)).toEqual({ columns: ['id', 'v'], rows: [[7, 'x'], [8, 'y']] });
    expect(() => rowsFromPayload([[1]], mapping)).toThrow('row 0 has 1 values for 2 columns');
    expect(() => rowsFromPayload([1], [])).toThrow('row 0 is a number, not an object');
    expect(() => rowsFromPayload([{ 'bad key': 1 }], [])).toThrow(/column \(row 0\) "bad key" is not a valid identifier/);
  });
});

describe('SQL errors', () => {
  it('names the statement and where PostgreSQL found the problem', () => {
    const sql = 'SELECT *\n  FROM t WHERE x = = 1';
    const err = sqlError('sql in q', Object.assign(new Error('syntax error at or near "="'), { code: '42601', position: '29' }), sql);
    expect(err.message).toBe('sql in q: syntax error at or near "=" (42601) near \'= 1\' in: SELECT * FROM t WHERE x = = 1');
    expect(sqlSnippet('x'.repeat(500)).length).toBe(160);
  });
});
