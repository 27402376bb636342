import type { AuditEntry } from '@gridflow/runtime/contract';
import type { SqliteDatabase } from './db.js';
import type { AuditStore } from './types.js';

interface AuditRow {
  id: number;
  time: string;
  user: string;
  action: string;
  target: string | null;
  ip: string | null;
  details: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  time: r.time,
  user: r.user,
  action: r.action,
  target: r.target,
  ip: r.ip,
  details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
});

export function createSqliteAuditStore(db: SqliteDatabase): AuditStore {
  const insert = db.prepare('INSERT INTO audit_log (time, user, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    async append(e) {
      const time = new Date().toISOString();
      const details = e.details ? JSON.stringify(e.details) : null;
      const res = insert.run(time, e.user, e.action, e.target ?? null, e.ip ?? null, details);
      return {
        id: Number(res.lastInsertRowid),
        time,
        user: e.user,
        action: e.action,
        target: e.target ?? null,
        ip: e.ip ?? null,
        details: e.details ?? null,
      };
    },
    async list({ limit, before, action, user }) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (before !== undefined) {
        where.push('id < ?');
        params.push(before);
      }
      if (action !== undefined) {
        where.push('action = ?');
        params.push(action);
      }
      if (user !== undefined) {
        where.push('user = ?');
        params.push(user);
      }
      const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db.prepare<(string | number)[], AuditRow>(sql).all(...params, limit).map(toEntry);
    },
  };
}
