import type { AlertRecord, AlertSeverity, AlertState } from '@gridflow/runtime/contract';
import type { SqliteDatabase } from '../store/db.js';
import {
  UnknownAlertError,
  type AlertClear,
  type AlertFilter,
  type AlertStore,
  type AlertWriteResult,
  type NewAlert,
} from './alert-store.js';

interface AlertRow {
  seq: number;
  id: string;
  source: string;
  flow_id: string | null;
  alert_key: string;
  severity: AlertSeverity;
  state: AlertState;
  message: string;
  clear_message: string | null;
  value: string | null;
  clear_value: string | null;
  raised_at: string;
  cleared_at: string | null;
  acknowledged: number;
  acked_by: string | null;
  acked_at: string | null;
}

/** Values are stored as JSON text; one that JSON cannot hold (a BigInt, a cycle) is kept as its string. */
function encodeValue(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    // Not JSON-able: the string form still tells the operator what tripped the alert.
    return JSON.stringify(String(value));
  }
}
const decodeValue = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

const toRecord = (r: AlertRow): AlertRecord => ({
  id: r.id,
  source: r.source,
  flowId: r.flow_id,
  key: r.alert_key,
  severity: r.severity,
  state: r.state,
  message: r.message,
  clearMessage: r.clear_message,
  value: decodeValue(r.value),
  clearValue: decodeValue(r.clear_value),
  raisedAt: r.raised_at,
  clearedAt: r.cleared_at,
  acknowledged: r.acknowledged === 1,
  ackedBy: r.acked_by,
  ackedAt: r.acked_at,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createSqliteAlertStore(db: SqliteDatabase): AlertStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO alerts (id, source, flow_id, alert_key, severity, state, message, value, raised_at)
       VALUES (@id, @source, @flowId, @key, @severity, 'raised', @message, @value, @raisedAt)
       ON CONFLICT (id) DO NOTHING`,
    ),
    clear: db.prepare<[string | null, string | null, string, string], AlertRow>(
      `UPDATE alerts SET state = 'cleared', clear_message = ?, clear_value = ?, cleared_at = ?
       WHERE id = ? AND state = 'raised' RETURNING *`,
    ),
    ack: db.prepare<[string, string, string], AlertRow>(
      `UPDATE alerts SET acknowledged = 1, acked_by = ?, acked_at = ? WHERE id = ? AND acknowledged = 0 RETURNING *`,
    ),
    get: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
    seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM alerts WHERE id = ?'),
    // Two indexed counts rather than one scan of the whole history.
    counts: db.prepare<[], { raised: number; unacknowledged: number }>(
      `SELECT (SELECT COUNT(*) FROM alerts WHERE state = 'raised') AS raised,
              (SELECT COUNT(*) FROM alerts WHERE acknowledged = 0) AS unacknowledged`,
    ),
    raised: db.prepare<[], AlertRow>(`SELECT * FROM alerts WHERE state = 'raised' ORDER BY seq`),
    prune: db.prepare<[number], { seq: number }>(
      `SELECT seq FROM alerts WHERE state = 'cleared' AND acknowledged = 1 ORDER BY seq DESC LIMIT 1 OFFSET ?`,
    ),
    pruneBefore: db.prepare(`DELETE FROM alerts WHERE state = 'cleared' AND acknowledged = 1 AND seq <= ?`),
  };

  const get = (id: string) => {
    const row = q.get.get(id);
    return row ? toRecord(row) : undefined;
  };
  const insert = (alert: NewAlert): boolean =>
    q.insert.run({
      id: alert.id,
      source: alert.source,
      flowId: alert.flowId,
      key: alert.key,
      severity: alert.severity,
      message: alert.message,
      value: encodeValue(alert.value),
      raisedAt: alert.raisedAt.toISOString(),
    }).changes === 1;
  const clear = (id: string, c: AlertClear): AlertRecord | undefined => {
    const row = q.clear.get(c.message, encodeValue(c.value), c.clearedAt.toISOString(), id);
    return row ? toRecord(row) : undefined;
  };
  const writeAll = db.transaction((changes: Parameters<AlertStore['write']>[0]): AlertWriteResult[] =>
    changes.map((change) => {
      if (change.kind === 'raise') {
        const record = insert(change.alert) ? get(change.alert.id) : undefined;
        return { record, known: true };
      }
      const record = clear(change.id, change.clear);
      return { record, known: record !== undefined || q.seqOf.get(change.id) !== undefined };
    }),
  );

  return {
    async insert(alert) {
      return insert(alert);
    },

    async clear(id, c) {
      return clear(id, c);
    },

    async write(changes) {
      return writeAll(changes);
    },

    async acknowledge(id, user, at) {
      const row = q.ack.get(user, at.toISOString(), id);
      if (row) return toRecord(row);
      const existing = get(id);
      if (!existing) throw new UnknownAlertError(id);
      return existing;
    },

    async get(id) {
      return get(id);
    },

    async list(filter: AlertFilter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.state) {
        where.push('state = ?');
        params.push(filter.state);
      }
      if (filter.severities?.length) {
        where.push(`severity IN (${filter.severities.map(() => '?').join(', ')})`);
        params.push(...filter.severities);
      }
      if (filter.acknowledged !== undefined) {
        where.push('acknowledged = ?');
        params.push(filter.acknowledged ? 1 : 0);
      }
      if (filter.source) {
        where.push('source = ?');
        params.push(filter.source);
      }
      if (filter.search) {
        const like = `%${escapeLike(filter.search)}%`;
        where.push(`(alert_key LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')`);
        params.push(like, like);
      }
      if (filter.before !== undefined) {
        const before = q.seqOf.get(filter.before);
        if (!before) throw new UnknownAlertError(filter.before);
        where.push('seq < ?');
        params.push(before.seq);
      }
      const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], AlertRow>(sql)
        .all(...params, filter.limit)
        .map(toRecord);
    },

    async counts() {
      const c = q.counts.get();
      return { raised: c?.raised ?? 0, unacknowledged: c?.unacknowledged ?? 0 };
    },

    async raised(sources) {
      const rows = q.raised.all().map(toRecord);
      if (!sources) return rows;
      const wanted = new Set(sources);
      return rows.filter((r) => wanted.has(r.source));
    },

    async prune(keep) {
      const edge = q.prune.get(keep);
      if (!edge) return 0;
      return q.pruneBefore.run(edge.seq).changes;
    },
  };
}
