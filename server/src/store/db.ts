import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDatabase = Database.Database;

/** One numbered schema change of a module; applied once, in order, inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: SqliteDatabase) => void);
}

/**
 * The migrations of one module (core, devices, edges, ...). Each module numbers its own
 * migrations from 1; the runner records `(module, version)` so modules never collide.
 */
export interface MigrationSet {
  module: string;
  migrations: readonly Migration[];
}

/** Opens (creating when needed) a SQLite database in WAL mode with foreign keys on. */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Applies the migrations not applied yet; returns `module:version` of each one applied now. */
export function migrate(db: SqliteDatabase, sets: readonly MigrationSet[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (module, version)
  )`);
  const seenModules = new Set<string>();
  const applied: string[] = [];
  const done = db.prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE module = ?');
  const record = db.prepare('INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const set of sets) {
    if (seenModules.has(set.module)) throw new Error(`migrations for module "${set.module}" were given twice`);
    seenModules.add(set.module);
    const versions = set.migrations.map((m) => m.version);
    for (let i = 0; i < versions.length; i++) {
      if (versions[i] !== i + 1) {
        throw new Error(`migrations of module "${set.module}" must be numbered 1, 2, 3, ... (found ${versions.join(', ')})`);
      }
    }
    const have = new Set(done.all(set.module).map((r) => r.version));
    for (const m of set.migrations) {
      if (have.has(m.version)) continue;
      const run = db.transaction(() => {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        record.run(set.module, m.version, m.name, new Date().toISOString());
      });
      try {
        run();
      } catch (err) {
        throw new Error(`migration ${set.module}:${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      applied.push(`${set.module}:${m.version}`);
    }
  }
  return applied;
}
