import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './db.js';

describe('migrations', () => {
  it('applies each module migration once, in order', () => {
    const db = openDatabase(':memory:');
    const set = { module: 'm', migrations: [
      { version: 1, name: 'a', up: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', up: (d: typeof db) => d.exec('INSERT INTO a VALUES (1)') },
    ] };
    expect(migrate(db, [set])).toEqual(['m:1', 'm:2']);
    expect(migrate(db, [set])).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM a').get()).toEqual({ n: 1 });
    db.close();
  });

  it('rolls back a failing migration and names it', () => {
    const db = openDatabase(':memory:');
    const set = { module: 'bad', migrations: [{ version: 1, name: 'broken', up: 'CREATE TABLE t (x); INSERT INTO nowhere VALUES (1)' }] };
    expect(() => migrate(db, [set])).toThrow(/bad:1 \(broken\) failed/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    db.close();
  });

  it('refuses gaps in numbering and duplicate modules', () => {
    const db = openDatabase(':memory:');
    expect(() => migrate(db, [{ module: 'g', migrations: [{ version: 2, name: 'x', up: '' }] }])).toThrow(/numbered 1, 2, 3/);
    const ok = { module: 'd', migrations: [] };
    expect(() => migrate(db, [ok, ok])).toThrow(/given twice/);
    db.close();
  });
});
