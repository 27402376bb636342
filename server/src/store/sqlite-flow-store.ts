import type { FlowDocument } from '@gridflow/runtime';
import type { VersionSummary } from '@gridflow/runtime/contract';
import { conflict } from '../errors.js';
import { revOf } from '../flows/rev.js';
import type { SqliteDatabase } from './db.js';
import type { CurrentFlows, FlowCommit, FlowStore, VersionStore } from './types.js';

interface VersionRow {
  version: number;
  rev: string;
  user: string;
  time: string;
  type: VersionSummary['type'];
  summary: string;
  added: number;
  removed: number;
  changed: number;
  rollback_of: number | null;
  node_count: number;
}

const SUMMARY_COLUMNS = 'version, rev, user, time, type, summary, added, removed, changed, rollback_of, node_count';

function toSummary(row: VersionRow): VersionSummary {
  return {
    version: row.version,
    rev: row.rev,
    user: row.user,
    time: row.time,
    type: row.type,
    summary: row.summary,
    changes: { added: row.added, removed: row.removed, changed: row.changed },
    rollbackOf: row.rollback_of,
    nodeCount: row.node_count,
  };
}

const EMPTY_REV = revOf([]);

/** Flow versions in SQLite; the current flows are the row with the highest version. */
export function createSqliteFlowStores(db: SqliteDatabase): { flows: FlowStore; versions: VersionStore } {
  const latest = db.prepare<[], { version: number; rev: string; flows: string }>(
    'SELECT version, rev, flows FROM flow_versions ORDER BY version DESC LIMIT 1',
  );
  const latestRev = db.prepare<[], { version: number; rev: string }>('SELECT version, rev FROM flow_versions ORDER BY version DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO flow_versions (version, rev, user, time, type, summary, added, removed, changed, rollback_of, node_count, flows)
     VALUES (@version, @rev, @user, @time, @type, @summary, @added, @removed, @changed, @rollback_of, @node_count, @flows)`,
  );
  const listAll = db.prepare<[number], VersionRow>(`SELECT ${SUMMARY_COLUMNS} FROM flow_versions ORDER BY version DESC LIMIT ?`);
  const listBefore = db.prepare<[number, number], VersionRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM flow_versions WHERE version < ? ORDER BY version DESC LIMIT ?`,
  );
  const getOne = db.prepare<[number], VersionRow & { flows: string }>(`SELECT ${SUMMARY_COLUMNS}, flows FROM flow_versions WHERE version = ?`);

  const commitTx = db.transaction((c: FlowCommit): VersionSummary => {
    const head = latestRev.get();
    const headRev = head?.rev ?? EMPTY_REV;
    if (c.expectedRev !== undefined && c.expectedRev !== headRev) {
      throw conflict(`flows were changed since revision ${c.expectedRev} (current is ${headRev}); reload and deploy again`, {
        rev: headRev,
      });
    }
    const row: VersionRow = {
      version: (head?.version ?? 0) + 1,
      rev: c.rev,
      user: c.user,
      time: new Date().toISOString(),
      type: c.type,
      summary: c.summary,
      added: c.changes.added,
      removed: c.changes.removed,
      changed: c.changes.changed,
      rollback_of: c.rollbackOf ?? null,
      node_count: c.flows.length,
    };
    insert.run({ ...row, flows: JSON.stringify(c.flows) });
    return toSummary(row);
  });

  const flows: FlowStore = {
    async current(): Promise<CurrentFlows> {
      const row = latest.get();
      if (!row) return { flows: [], rev: EMPTY_REV, version: null };
      return { flows: JSON.parse(row.flows) as FlowDocument, rev: row.rev, version: row.version };
    },
    async commit(c) {
      return commitTx.immediate(c);
    },
  };

  const versions: VersionStore = {
    async list({ limit, before }) {
      const rows = before === undefined ? listAll.all(limit) : listBefore.all(before, limit);
      return rows.map(toSummary);
    },
    async get(version) {
      const row = getOne.get(version);
      if (!row) return undefined;
      return { summary: toSummary(row), flows: JSON.parse(row.flows) as FlowDocument };
    },
  };
  return { flows, versions };
}
