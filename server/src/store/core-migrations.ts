import type { MigrationSet } from './db.js';

/** Schema of the core stores: users, sessions, API tokens, flow versions, audit log. */
export const coreMigrations: MigrationSet = {
  module: 'core',
  migrations: [
    {
      version: 1,
      name: 'users, sessions, tokens, flow versions, audit',
      up: `
        CREATE TABLE users (
          username TEXT PRIMARY KEY,
          role TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
          id_hash TEXT PRIMARY KEY,
          username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions(username);
        CREATE TABLE api_tokens (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
          role TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          created_at TEXT NOT NULL,
          expires_at TEXT,
          last_used_at TEXT
        );
        CREATE INDEX api_tokens_by_user ON api_tokens(username);
        CREATE TABLE flow_versions (
          version INTEGER PRIMARY KEY,
          rev TEXT NOT NULL,
          user TEXT NOT NULL,
          time TEXT NOT NULL,
          type TEXT NOT NULL,
          summary TEXT NOT NULL,
          added INTEGER NOT NULL,
          removed INTEGER NOT NULL,
          changed INTEGER NOT NULL,
          rollback_of INTEGER,
          node_count INTEGER NOT NULL,
          flows TEXT NOT NULL
        );
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          time TEXT NOT NULL,
          user TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT,
          ip TEXT,
          details TEXT
        );
        CREATE INDEX audit_by_action ON audit_log(action, id);
        CREATE INDEX audit_by_user ON audit_log(user, id);
      `,
    },
  ],
};
