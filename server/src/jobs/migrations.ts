import type { MigrationSet } from '../store/db.js';

export const jobMigrations: MigrationSet = {
  module: 'jobs',
  migrations: [
    {
      version: 1,
      name: 'job runs, paused schedules',
      up: `
        CREATE TABLE job_runs (
          id TEXT PRIMARY KEY,
          schedule_id TEXT NOT NULL,
          flow_id TEXT NOT NULL,
          name TEXT NOT NULL,
          trigger TEXT NOT NULL,
          status TEXT NOT NULL,
          started_at TEXT NOT NULL,
          ended_at TEXT,
          duration_ms INTEGER,
          rows_read INTEGER NOT NULL DEFAULT 0,
          rows_written INTEGER NOT NULL DEFAULT 0,
          progress REAL,
          message TEXT,
          error TEXT,
          errors TEXT NOT NULL DEFAULT '[]',
          user TEXT
        );
        CREATE INDEX job_runs_started ON job_runs (started_at, id);
        CREATE INDEX job_runs_schedule ON job_runs (schedule_id, started_at);
        CREATE TABLE job_paused (
          schedule_id TEXT PRIMARY KEY,
          paused_at TEXT NOT NULL
        );
      `,
    },
  ],
};
