import type { Role } from '@gridflow/runtime/contract';
import { conflict } from '../errors.js';
import type { SqliteDatabase } from './db.js';
import type { SessionRecord, SessionStore, TokenRecord, TokenStore, UserRecord, UserStore } from './types.js';

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): UserRecord => ({
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  disabled: r.disabled !== 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createSqliteUserStore(db: SqliteDatabase): UserStore {
  const get = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const list = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users');
  const insert = db.prepare(
    'INSERT INTO users (username, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
  );
  const update = db.prepare(
    `UPDATE users SET role = COALESCE(@role, role), password_hash = COALESCE(@hash, password_hash),
       disabled = COALESCE(@disabled, disabled), updated_at = @now WHERE username = @username`,
  );
  const del = db.prepare('DELETE FROM users WHERE username = ?');
  const createTx = db.transaction((u: { username: string; role: Role; passwordHash: string }): UserRecord => {
    if (get.get(u.username)) throw conflict(`user "${u.username}" already exists`);
    const now = new Date().toISOString();
    insert.run(u.username, u.role, u.passwordHash, now, now);
    return toUser(get.get(u.username) as UserRow);
  });
  return {
    async get(username) {
      const r = get.get(username);
      return r ? toUser(r) : undefined;
    },
    async list() {
      return list.all().map(toUser);
    },
    async count() {
      return count.get()?.n ?? 0;
    },
    async create(u) {
      return createTx.immediate(u);
    },
    async update(username, patch) {
      const res = update.run({
        username,
        role: patch.role ?? null,
        hash: patch.passwordHash ?? null,
        disabled: patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
        now: new Date().toISOString(),
      });
      if (res.changes === 0) return undefined;
      const r = get.get(username);
      return r ? toUser(r) : undefined;
    },
    async delete(username) {
      // Sessions and tokens go with the user (ON DELETE CASCADE).
      return del.run(username).changes > 0;
    },
  };
}

interface SessionRow {
  id_hash: string;
  username: string;
  created_at: string;
  expires_at: string;
}

export function createSqliteSessionStore(db: SqliteDatabase): SessionStore {
  const insert = db.prepare('INSERT INTO sessions (id_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const get = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id_hash = ?');
  const del = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const delUser = db.prepare('DELETE FROM sessions WHERE username = ?');
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  return {
    async create(s: SessionRecord) {
      insert.run(s.idHash, s.username, s.createdAt, s.expiresAt);
    },
    async get(idHash) {
      const r = get.get(idHash);
      return r ? { idHash: r.id_hash, username: r.username, createdAt: r.created_at, expiresAt: r.expires_at } : undefined;
    },
    async delete(idHash) {
      del.run(idHash);
    },
    async deleteForUser(username) {
      return delUser.run(username).changes;
    },
    async purgeExpired(now) {
      return purge.run(now.toISOString()).changes;
    },
  };
}

interface TokenRow {
  id: string;
  name: string;
  username: string;
  role: Role;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  name: r.name,
  username: r.username,
  role: r.role,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
});

export function createSqliteTokenStore(db: SqliteDatabase): TokenStore {
  const insert = db.prepare(
    `INSERT INTO api_tokens (id, name, username, role, token_hash, created_at, expires_at, last_used_at)
     VALUES (@id, @name, @username, @role, @tokenHash, @createdAt, @expiresAt, @lastUsedAt)`,
  );
  const byHash = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?');
  const byId = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE id = ?');
  const all = db.prepare<[], TokenRow>('SELECT * FROM api_tokens ORDER BY created_at, id');
  const ofUser = db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE username = ? ORDER BY created_at, id');
  const del = db.prepare('DELETE FROM api_tokens WHERE id = ?');
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  return {
    async create(t) {
      insert.run(t);
    },
    async getByHash(hash) {
      const r = byHash.get(hash);
      return r ? toToken(r) : undefined;
    },
    async get(id) {
      const r = byId.get(id);
      return r ? toToken(r) : undefined;
    },
    async list(username) {
      return (username === undefined ? all.all() : ofUser.all(username)).map(toToken);
    },
    async delete(id) {
      return del.run(id).changes > 0;
    },
    async touch(id, time) {
      touch.run(time, id);
    },
  };
}
