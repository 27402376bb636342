import type { AlertRecord, AlertSeverity, AlertState } from '@gridflow/runtime/contract';

/** What a raise stores; the clear and acknowledgement fields start empty. */
export interface NewAlert {
  id: string;
  source: string;
  flowId: string | null;
  key: string;
  severity: AlertSeverity;
  message: string;
  value: unknown;
  raisedAt: Date;
}

export interface AlertClear {
  message: string;
  value: unknown;
  clearedAt: Date;
}

/** A parsed `GET /api/alerts` query. */
export interface AlertFilter {
  state?: AlertState | undefined;
  severities?: readonly AlertSeverity[] | undefined;
  acknowledged?: boolean | undefined;
  source?: string | undefined;
  /** Substring of the key or the message. */
  search?: string | undefined;
  limit: number;
  /** Only alerts raised before this alert id. */
  before?: string | undefined;
}

/** One change of a batch: a raise to store or a clear to apply. */
export type AlertWrite = { kind: 'raise'; alert: NewAlert } | { kind: 'clear'; id: string; clear: AlertClear };

/**
 * What a write did: the stored record, or undefined for a repeated raise or the clear of an
 * alert that is not raised (`known` says whether the id exists at all).
 */
export interface AlertWriteResult {
  record: AlertRecord | undefined;
  known: boolean;
}

export class UnknownAlertError extends Error {
  readonly code = 'ALERT_UNKNOWN';
  constructor(readonly alertId: string) {
    super(`no alert with id "${alertId}"`);
    this.name = 'UnknownAlertError';
  }
}

/**
 * Where the server keeps alerts. Async so that a shared database can take SQLite's place (see
 * DESIGN.md, scale-out); the SQLite one is in sqlite-alert-store.ts.
 */
export interface AlertStore {
  /** Stores a raised alert; false when an alert with this id exists already (a repeated raise). */
  insert(alert: NewAlert): Promise<boolean>;
  /** Clears a raised alert; undefined when there is none with this id in state raised. */
  clear(id: string, clear: AlertClear): Promise<AlertRecord | undefined>;
  /** Applies raises and clears in order, all at once (one transaction), e.g. an alert storm. */
  write(changes: readonly AlertWrite[]): Promise<AlertWriteResult[]>;
  /** Acknowledges; acknowledging twice keeps the first. Throws UnknownAlertError. */
  acknowledge(id: string, user: string, at: Date): Promise<AlertRecord>;
  get(id: string): Promise<AlertRecord | undefined>;
  /** Newest raise first. Throws UnknownAlertError when `before` names no alert. */
  list(filter: AlertFilter): Promise<AlertRecord[]>;
  counts(): Promise<{ raised: number; unacknowledged: number }>;
  /** The raised alerts, optionally only those of some source nodes. */
  raised(sources?: readonly string[]): Promise<AlertRecord[]>;
  /** Deletes the oldest cleared and acknowledged alerts beyond `keep`; returns how many went. */
  prune(keep: number): Promise<number>;
}
