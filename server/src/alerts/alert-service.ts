import { errorMessage, type FlowNode } from '@gridflow/runtime';
import type { AlertRecord } from '@gridflow/runtime/contract';
import type { Alert, AlertSink } from '@gridflow/nodes/stream';
import type { Logger } from '../logger.js';
import type { AlertStore } from './alert-store.js';

export interface AlertServiceDeps {
  store: AlertStore;
  logger: Logger;
  /** The deployed flows, to find the tab of the node that raises. */
  flows(): readonly FlowNode[];
  /** Called with every stored change (the socket.io batcher). */
  onChange(alert: AlertRecord): void;
  /** Also stores raises and clears elsewhere (QuestDB's `alerts` table); asked at each change. */
  history?: () => AlertHistory | undefined;
  /** Keep at most this many cleared and acknowledged alerts (the oldest go first). */
  keepHistory: number;
}

/** Where raises and clears are copied (the QuestDB service's `recordAlert`). */
export interface AlertHistory {
  recordAlert(alert: Alert): Promise<void>;
}

/** How many raises between two history prunes. */
const PRUNE_EVERY = 500;

/**
 * The server side of alerts: the `alerts` service threshold alert nodes raise and clear through,
 * acknowledgement, and the clean-up of alerts whose node can no longer clear them. Back-filled
 * data never arrives here: the node drops it before its condition is even evaluated.
 */
export interface AlertService {
  sink: AlertSink;
  /** `changed` is false when it was acknowledged already (the first acknowledgement stays). */
  acknowledge(id: string, user: string): Promise<{ alert: AlertRecord; changed: boolean }>;
  /** Clears raised alerts of these nodes (restarted or removed by a deploy: their state is gone). */
  clearFromSources(sources: readonly string[] | 'all', reason: string): Promise<number>;
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { store, logger } = deps;
  let raisesSincePrune = 0;

  // SQLite stays the record the API answers from; the copy never holds up a node, and a failed
  // copy is logged with the alert it concerns.
  const copy = (alert: Alert) => {
    const history = deps.history?.();
    if (!history) return;
    history.recordAlert(alert).catch((err: unknown) => {
      logger.warn(
        `alerts: the ${alert.state} of alert ${alert.id} (node ${alert.source}, key "${alert.key}") was not copied to QuestDB: ${errorMessage(err)}`,
      );
    });
  };
  const changed = (record: AlertRecord, copied?: Alert) => {
    deps.onChange(record);
    if (copied) copy(copied);
  };

  const flowOf = (nodeId: string): string | null => {
    const node = deps.flows().find((n) => n.id === nodeId);
    return typeof node?.z === 'string' && node.z ? node.z : null;
  };

  async function raise(alert: Alert): Promise<void> {
    const inserted = await store.insert({
      id: alert.id,
      source: alert.source,
      flowId: flowOf(alert.source),
      key: alert.key,
      severity: alert.severity,
      message: alert.message,
      value: alert.value,
      raisedAt: new Date(alert.time),
    });
    if (!inserted) return;
    const record = await store.get(alert.id);
    if (record) changed(record, alert);
    if (++raisesSincePrune >= PRUNE_EVERY) {
      raisesSincePrune = 0;
      const removed = await store.prune(deps.keepHistory);
      if (removed)
        logger.info(`alerts: removed ${removed} old cleared and acknowledged alerts (keeping ${deps.keepHistory})`);
    }
  }

  async function clear(alert: Alert): Promise<void> {
    const record = await store.clear(alert.id, {
      message: alert.message,
      value: alert.value,
      clearedAt: new Date(alert.time),
    });
    if (record) return changed(record, alert);
    const existing = await store.get(alert.id);
    if (!existing)
      logger.warn(
        `alerts: node ${alert.source} cleared alert ${alert.id} (key "${alert.key}"), which was never raised here`,
      );
  }

  // A failed store write must not fail the node's message: it is logged with the alert it lost.
  const guarded = (what: string, run: (alert: Alert) => Promise<void>) => (alert: Alert) =>
    run(alert).catch((err: unknown) => {
      logger.error(
        `alerts: could not store the ${what} of alert ${alert.id} from node ${alert.source} (key "${alert.key}"): ${errorMessage(err)}`,
      );
    });

  return {
    sink: { raise: guarded('raise', raise), clear: guarded('clear', clear) },

    async acknowledge(id, user) {
      const before = await store.get(id);
      const record = await store.acknowledge(id, user, new Date());
      const first = before !== undefined && !before.acknowledged;
      if (first) changed(record);
      return { alert: record, changed: first };
    },

    async clearFromSources(sources, reason) {
      const raised = await store.raised(sources === 'all' ? undefined : sources);
      const now = new Date();
      for (const a of raised) {
        const record = await store.clear(a.id, { message: reason, value: null, clearedAt: now });
        if (!record) continue;
        changed(record, {
          id: a.id,
          source: a.source,
          key: a.key,
          state: 'cleared',
          severity: a.severity,
          message: reason,
          value: null,
          time: now.getTime(),
        });
      }
      return raised.length;
    },
  };
}
