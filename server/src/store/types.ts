import type { FlowDocument } from '@gridflow/runtime';
import type { AuditEntry, Role, VersionSummary } from '@gridflow/runtime/contract';

/**
 * Store interfaces. Every method is async so that a networked database (PostgreSQL) can
 * implement them; the SQLite implementations live beside this file.
 */

export interface CurrentFlows {
  flows: FlowDocument;
  rev: string;
  /** Version number of the current flows; null before the first deploy. */
  version: number | null;
}

export interface FlowCommit {
  flows: FlowDocument;
  rev: string;
  /** When given and not the rev of the latest version, the commit fails with CONFLICT and writes nothing. */
  expectedRev?: string;
  user: string;
  type: VersionSummary['type'];
  summary: string;
  changes: VersionSummary['changes'];
  rollbackOf?: number;
}

/** The deployed flows. The current flows are the latest version. */
export interface FlowStore {
  current(): Promise<CurrentFlows>;
  /** Records a new version (the new current flows) in one transaction. */
  commit(commit: FlowCommit): Promise<VersionSummary>;
}

export interface VersionStore {
  /** Newest first. */
  list(query: { limit: number; before?: number }): Promise<VersionSummary[]>;
  get(version: number): Promise<{ summary: VersionSummary; flows: FlowDocument } | undefined>;
}

export interface UserRecord {
  username: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserStore {
  get(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
  /** Fails with CONFLICT when the username is taken. */
  create(user: { username: string; role: Role; passwordHash: string }): Promise<UserRecord>;
  update(username: string, patch: { role?: Role; passwordHash?: string; disabled?: boolean }): Promise<UserRecord | undefined>;
  /** Also removes the user's sessions and tokens. */
  delete(username: string): Promise<boolean>;
}

export interface SessionRecord {
  /** SHA-256 of the session id; the id itself is only in the cookie. */
  idHash: string;
  username: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | undefined>;
  delete(idHash: string): Promise<void>;
  deleteForUser(username: string): Promise<number>;
  purgeExpired(now: Date): Promise<number>;
}

export interface TokenRecord {
  id: string;
  name: string;
  username: string;
  role: Role;
  /** SHA-256 of the secret. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface TokenStore {
  create(token: TokenRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  get(id: string): Promise<TokenRecord | undefined>;
  /** All tokens, or those of one user. */
  list(username?: string): Promise<TokenRecord[]>;
  delete(id: string): Promise<boolean>;
  touch(id: string, time: string): Promise<void>;
}

export interface AuditInput {
  user: string;
  action: string;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditStore {
  append(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first. */
  list(query: { limit: number; before?: number; action?: string; user?: string }): Promise<AuditEntry[]>;
}

export interface Stores {
  flows: FlowStore;
  versions: VersionStore;
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  audit: AuditStore;
}
