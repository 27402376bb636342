import type { MigrationSet } from '../store/db.js';

/** Storage policies per product, and the rows QuestDB refused (kept aside for a look, not retried). */
export const storageMigrations: MigrationSet = {
  module: 'storage',
  migrations: [
    {
      version: 1,
      name: 'storage policies, rejected rows',
      up: `
        CREATE TABLE storage_policies (
          product_key TEXT PRIMARY KEY,
          body TEXT NOT NULL,
          applied_views TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE storage_rejected_rows (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          table_name TEXT NOT NULL,
          reason TEXT NOT NULL,
          row TEXT NOT NULL,
          at TEXT NOT NULL
        );
        CREATE INDEX storage_rejected_by_table ON storage_rejected_rows(table_name, id);
      `,
    },
  ],
};
