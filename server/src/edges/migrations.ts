import type { MigrationSet } from '../store/db.js';

export const edgeMigrations: MigrationSet = {
  module: 'edges',
  migrations: [
    {
      version: 1,
      name: 'edges, enrollment tokens, upstream dedup',
      up: `
        CREATE TABLE edges (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          group_name TEXT,
          credential_hash TEXT NOT NULL,
          deploy_key TEXT NOT NULL,
          revoked INTEGER NOT NULL DEFAULT 0,
          enrolled_at TEXT NOT NULL,
          last_seen TEXT,
          health TEXT,
          running_rev TEXT,
          target_rev TEXT,
          deploy_error TEXT
        );
        CREATE TABLE edge_enrollments (
          id TEXT PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,
          name TEXT,
          group_name TEXT,
          created_by TEXT NOT NULL,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          used_at TEXT,
          edge_id TEXT,
          revoked INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE edge_upstream_seen (
          edge_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          PRIMARY KEY (edge_id, seq)
        ) WITHOUT ROWID;
      `,
    },
    {
      version: 2,
      name: 'edges bound to a gateway device',
      up: `
        ALTER TABLE edges ADD COLUMN gateway_product_key TEXT;
        ALTER TABLE edges ADD COLUMN gateway_device_key TEXT;
        ALTER TABLE edge_enrollments ADD COLUMN gateway_product_key TEXT;
        ALTER TABLE edge_enrollments ADD COLUMN gateway_device_key TEXT;
      `,
    },
  ],
};
