import type { Request } from 'express';
import type { Logger } from './logger.js';
import type { AuditInput, AuditStore } from './store/types.js';

/** Records security-relevant actions; a failing write is logged, never turned into a failed request. */
export interface AuditLog {
  record(entry: AuditInput): Promise<void>;
  /** Shorthand for a request: the caller's name and IP. */
  fromRequest(req: Request, user: string, action: string, target?: string | null, details?: Record<string, unknown>): Promise<void>;
}

export function createAuditLog(store: AuditStore, logger: Logger): AuditLog {
  const record = async (entry: AuditInput) => {
    try {
      await store.append(entry);
    } catch (err) {
      logger.error(`audit write failed for ${entry.action} by ${entry.user}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    record,
    fromRequest: (req, user, action, target = null, details) =>
      record({ user, action, target, ip: req.ip ?? req.socket.remoteAddress ?? null, details: details ?? null }),
  };
}
