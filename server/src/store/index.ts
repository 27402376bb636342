import { join } from 'node:path';
import { coreMigrations } from './core-migrations.js';
import { migrate, openDatabase, type MigrationSet, type SqliteDatabase } from './db.js';
import { createSqliteAuditStore } from './sqlite-audit-store.js';
import { createSqliteSessionStore, createSqliteTokenStore, createSqliteUserStore } from './sqlite-auth-stores.js';
import { createSqliteFlowStores } from './sqlite-flow-store.js';
import type { Stores } from './types.js';

export * from './types.js';
export { openDatabase, migrate, type Migration, type MigrationSet, type SqliteDatabase } from './db.js';
export { coreMigrations } from './core-migrations.js';

/** The database file inside the data directory. */
export const databaseFile = (dataDir: string) => join(dataDir, 'gridflow.db');

/** Opens the database, applies the core migrations and those of other modules, and builds the core stores. */
export function openSqliteStores(file: string, extraMigrations: readonly MigrationSet[] = []): { db: SqliteDatabase; stores: Stores } {
  const db = openDatabase(file);
  try {
    migrate(db, [coreMigrations, ...extraMigrations]);
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, stores: createSqliteStores(db) };
}

export function createSqliteStores(db: SqliteDatabase): Stores {
  return {
    ...createSqliteFlowStores(db),
    users: createSqliteUserStore(db),
    sessions: createSqliteSessionStore(db),
    tokens: createSqliteTokenStore(db),
    audit: createSqliteAuditStore(db),
  };
}
