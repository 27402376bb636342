import type { AlertRecord } from '@gridflow/runtime/contract';

/** Most alerts held for one event; past this, the oldest changes are dropped and the client refetches. */
const MAX_PENDING = 1000;

/**
 * Batches alert changes for the socket.io `alert` event: at most one event per interval, holding
 * the latest state of each alert (a raise and its clear within one interval go out as the clear).
 */
export function createAlertBatcher(options: {
  intervalMs: number;
  emit(alerts: AlertRecord[]): void;
  /** When false nothing is kept: no client would see it. */
  wanted(): boolean;
}) {
  const pending = new Map<string, AlertRecord>();
  let timer: NodeJS.Timeout | undefined;
  let dropped = 0;
  const flush = () => {
    timer = undefined;
    if (!pending.size) return;
    const alerts = [...pending.values()];
    pending.clear();
    options.emit(alerts);
  };
  return {
    offer(alert: AlertRecord) {
      if (!options.wanted()) return;
      pending.delete(alert.id);
      if (pending.size >= MAX_PENDING) {
        const oldest = pending.keys().next().value;
        if (oldest !== undefined) pending.delete(oldest);
        dropped++;
      }
      pending.set(alert.id, alert);
      timer ??= setTimeout(flush, options.intervalMs);
    },
    /** Changes dropped because more than MAX_PENDING alerts changed within one interval. */
    dropped: () => dropped,
    close() {
      clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
