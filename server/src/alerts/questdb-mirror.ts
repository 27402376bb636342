import type { AlertRecord } from '@gridflow/runtime/contract';
import { createWriter, type QuestDbConnectionInput, type Writer } from '@gridflow/nodes/storage';
import type { Logger } from '../logger.js';

/** The QuestDB table alert events go to, one row per raise, clear and acknowledgement. */
export const ALERTS_TABLE = 'alerts';

export type AlertEventKind = 'raised' | 'cleared' | 'acknowledged';

/** Alert history in QuestDB next to the time series it is about, for dashboards and SQL. */
export interface AlertMirror {
  record(kind: AlertEventKind, alert: AlertRecord): void;
  close(): Promise<void>;
}

const timeOf = (kind: AlertEventKind, a: AlertRecord): string =>
  (kind === 'raised' ? a.raisedAt : kind === 'cleared' ? a.clearedAt : a.ackedAt) ?? new Date().toISOString();

function numeric(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Writes alert events to QuestDB over ILP. SQLite stays the record the API answers from; this copy
 * never holds up a node: a row that does not fit the writer's buffer right now is dropped and
 * counted (a warning at most every minute says how many).
 */
export function createQuestDbAlertMirror(options: { connection: QuestDbConnectionInput; logger: Logger; flushIntervalMs?: number }): AlertMirror {
  const { logger } = options;
  const writer: Writer = createWriter({
    connection: options.connection,
    flushIntervalMs: options.flushIntervalMs ?? 500,
    maxBufferedRows: 10_000,
    onRejected: (r) => logger.warn(`QuestDB refused an alert row for table ${r.table}: ${r.reason}`),
  });
  let dropped = 0;
  let lastWarning = 0;
  return {
    record(kind, a) {
      const value = kind === 'cleared' ? a.clearValue : a.value;
      let accepted: boolean;
      try {
        accepted = writer.tryWrite({
          table: ALERTS_TABLE,
          symbols: { source: a.source, severity: a.severity, event: kind },
          columns: {
            alert_id: a.id,
            flow_id: a.flowId,
            alert_key: a.key,
            message: kind === 'cleared' ? (a.clearMessage ?? '') : a.message,
            value: numeric(value),
            value_text: value === null || value === undefined ? null : JSON.stringify(value),
            acked_by: kind === 'acknowledged' ? a.ackedBy : null,
          },
          types: { value: 'double' },
          ts: timeOf(kind, a),
        });
      } catch (err) {
        logger.warn(`alert ${a.id} (${kind}) could not be written to QuestDB: ${(err as Error).message}`);
        return;
      }
      if (accepted) return;
      dropped++;
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn(`QuestDB is behind: ${dropped} alert rows dropped so far (they are still in the alert list)`);
      }
    },
    async close() {
      await writer.close({ timeoutMs: 5000 });
    },
  };
}
