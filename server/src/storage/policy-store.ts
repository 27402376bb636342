import {
  storagePolicySchema,
  type RejectedRowInfo,
  type StoragePolicy,
  type StorageTier,
} from '@gridflow/runtime/contract';
import type { SqliteDatabase } from '../store/db.js';

/**
 * Where policies live. Async so that PostgreSQL can replace SQLite. `appliedViews` remembers the
 * SELECT each tier's materialized view was created with, so a policy change rebuilds only the
 * views whose definition changed (a TTL change is an ALTER, not a rebuild).
 */
export type AppliedViews = Partial<Record<StorageTier, string>>;

export interface StoragePolicyStore {
  list(): Promise<StoragePolicy[]>;
  get(productKey: string): Promise<StoragePolicy | undefined>;
  put(policy: StoragePolicy): Promise<void>;
  delete(productKey: string): Promise<boolean>;
  appliedViews(productKey: string): Promise<AppliedViews>;
  setAppliedViews(productKey: string, views: AppliedViews): Promise<void>;
  /** Keeps the newest `keep` rejected rows. */
  addRejected(rows: { table: string; reason: string; row: unknown; at: Date }[], keep: number): Promise<void>;
  listRejected(query: {
    table?: string | undefined;
    limit: number;
  }): Promise<{ rows: RejectedRowInfo[]; total: number }>;
}

interface PolicyRow {
  body: string;
  applied_views: string;
}

interface RejectedRow {
  id: number;
  table_name: string;
  reason: string;
  row: string;
  at: string;
}

export function createSqlitePolicyStore(db: SqliteDatabase): StoragePolicyStore {
  const list = db.prepare<[], PolicyRow>('SELECT body, applied_views FROM storage_policies ORDER BY product_key');
  const get = db.prepare<[string], PolicyRow>('SELECT body, applied_views FROM storage_policies WHERE product_key = ?');
  const put = db.prepare<[string, string, string, string]>(
    `INSERT INTO storage_policies (product_key, body, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(product_key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  );
  const del = db.prepare<[string]>('DELETE FROM storage_policies WHERE product_key = ?');
  const setViews = db.prepare<[string, string]>('UPDATE storage_policies SET applied_views = ? WHERE product_key = ?');
  const addRejected = db.prepare<[string, string, string, string]>(
    'INSERT INTO storage_rejected_rows (table_name, reason, row, at) VALUES (?, ?, ?, ?)',
  );
  const trim = db.prepare<[number]>(
    'DELETE FROM storage_rejected_rows WHERE id <= (SELECT max(id) FROM storage_rejected_rows) - ?',
  );
  const listRejected = db.prepare<[string | null, string | null, number], RejectedRow>(
    'SELECT id, table_name, reason, row, at FROM storage_rejected_rows WHERE (? IS NULL OR table_name = ?) ORDER BY id DESC LIMIT ?',
  );
  const countRejected = db.prepare<[string | null, string | null], { n: number }>(
    'SELECT count(*) AS n FROM storage_rejected_rows WHERE (? IS NULL OR table_name = ?)',
  );
  const parse = (r: PolicyRow) => storagePolicySchema.parse(JSON.parse(r.body));
  const insertRejected = db.transaction(
    (rows: { table: string; reason: string; row: unknown; at: Date }[], keep: number) => {
      for (const r of rows)
        addRejected.run(
          r.table,
          r.reason,
          JSON.stringify(r.row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
          r.at.toISOString(),
        );
      trim.run(keep);
    },
  );

  return {
    list: async () => list.all().map(parse),
    async get(productKey) {
      const r = get.get(productKey);
      return r ? parse(r) : undefined;
    },
    async put(policy) {
      put.run(policy.productKey, JSON.stringify(policy), policy.createdAt, policy.updatedAt);
    },
    delete: async (productKey) => del.run(productKey).changes > 0,
    async appliedViews(productKey) {
      const r = get.get(productKey);
      return r ? (JSON.parse(r.applied_views) as AppliedViews) : {};
    },
    async setAppliedViews(productKey, views) {
      setViews.run(JSON.stringify(views), productKey);
    },
    async addRejected(rows, keep) {
      if (rows.length) insertRejected(rows, keep);
    },
    async listRejected(q) {
      const table = q.table ?? null;
      const rows = listRejected.all(table, table, q.limit).map((r) => ({
        id: r.id,
        table: r.table_name,
        reason: r.reason,
        row: JSON.parse(r.row) as unknown,
        at: r.at,
      }));
      return { rows, total: (countRejected.get(table, table) as { n: number }).n };
    },
  };
}
