import type { MigrationSet } from '../store/db.js';

export const alertMigrations: MigrationSet = {
  module: 'alerts',
  migrations: [
    {
      version: 1,
      name: 'alerts of threshold alert nodes',
      // `seq` orders alerts by raise and pages the list; `id` is the node's alert id (raise and clear share it).
      up: `
        CREATE TABLE alerts (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          source TEXT NOT NULL,
          flow_id TEXT,
          alert_key TEXT NOT NULL,
          severity TEXT NOT NULL,
          state TEXT NOT NULL,
          message TEXT NOT NULL,
          clear_message TEXT,
          value TEXT,
          clear_value TEXT,
          raised_at TEXT NOT NULL,
          cleared_at TEXT,
          acknowledged INTEGER NOT NULL DEFAULT 0,
          acked_by TEXT,
          acked_at TEXT
        );
        CREATE INDEX alerts_by_state ON alerts (state, seq);
        CREATE INDEX alerts_by_source ON alerts (source, state);
        CREATE INDEX alerts_unacked ON alerts (acknowledged, seq);
      `,
    },
    {
      version: 2,
      name: 'index for pruning old alerts',
      // The prune walks cleared and acknowledged alerts newest first; without this it scans the table.
      up: `CREATE INDEX alerts_prunable ON alerts (state, acknowledged, seq);`,
    },
  ],
};
