import { errorMessage, type FlowNode } from '@gridflow/runtime';
import type { AlertRecord } from '@gridflow/runtime/contract';
import type { Alert, AlertSink } from '@gridflow/nodes/stream';
import type { Logger } from '../logger.js';
import type { AlertStore, AlertWrite } from './alert-store.js';

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
  /** Stores the raises and clears nodes have sent so far; the API calls it before it reads. */
  flush(): Promise<void>;
  /** Stops batching; what is pending is stored first. */
  close(): Promise<void>;
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

  // The tab of each node, rebuilt when a deploy gives the runtime a new flow document.
  let indexed: readonly FlowNode[] | undefined;
  let tabOf = new Map<string, string>();
  const flowOf = (nodeId: string): string | null => {
    const flows = deps.flows();
    if (flows !== indexed) {
      indexed = flows;
      tabOf = new Map(flows.flatMap((n) => (typeof n.z === 'string' && n.z ? [[n.id, n.z] as const] : [])));
    }
    return tabOf.get(nodeId) ?? null;
  };

  // Raises and clears are queued and stored together once per turn of the event loop, so a storm
  // of thousands of keys crossing a limit at once is one transaction, not one fsync each.
  let pending: { write: AlertWrite; alert: Alert }[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const storeBatch = async (batch: { write: AlertWrite; alert: Alert }[]) => {
    let results;
    try {
      results = await store.write(batch.map((b) => b.write));
    } catch (err) {
      const first = batch[0]?.alert;
      logger.error(
        `alerts: could not store ${batch.length} raises and clears (the first: alert ${first?.id ?? '?'} of node ${first?.source ?? '?'}, key "${first?.key ?? ''}"): ${errorMessage(err)}`,
      );
      return;
    }
    let raises = 0;
    results.forEach((result, i) => {
      const { alert } = batch[i] as { alert: Alert };
      if (result.record) {
        if (alert.state === 'raised') raises++;
        changed(result.record, alert);
      } else if (alert.state === 'cleared' && !result.known) {
        logger.warn(
          `alerts: node ${alert.source} cleared alert ${alert.id} (key "${alert.key}"), which was never raised here`,
        );
      }
    });
    raisesSincePrune += raises;
    if (raisesSincePrune < PRUNE_EVERY) return;
    raisesSincePrune = 0;
    try {
      const removed = await store.prune(deps.keepHistory);
      if (removed)
        logger.info(`alerts: removed ${removed} old cleared and acknowledged alerts (keeping ${deps.keepHistory})`);
    } catch (err) {
      logger.error(`alerts: removing old alerts failed: ${errorMessage(err)}`);
    }
  };

  const flush = (): Promise<void> => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const batch = pending;
    pending = [];
    // One batch at a time, in order: a clear never overtakes its raise.
    flushing = flushing.then(() => (batch.length ? storeBatch(batch) : undefined));
    return flushing;
  };

  const enqueue = (write: AlertWrite, alert: Alert) => {
    pending.push({ write, alert });
    scheduled ??= setImmediate(() => void flush());
  };

  const sink: AlertSink = {
    raise(alert) {
      enqueue(
        {
          kind: 'raise',
          alert: {
            id: alert.id,
            source: alert.source,
            flowId: flowOf(alert.source),
            key: alert.key,
            severity: alert.severity,
            message: alert.message,
            value: alert.value,
            raisedAt: new Date(alert.time),
          },
        },
        alert,
      );
    },
    clear(alert) {
      enqueue(
        {
          kind: 'clear',
          id: alert.id,
          clear: { message: alert.message, value: alert.value, clearedAt: new Date(alert.time) },
        },
        alert,
      );
    },
  };

  return {
    sink,
    flush,

    async close() {
      await flush();
    },

    async acknowledge(id, user) {
      await flush();
      const before = await store.get(id);
      const record = await store.acknowledge(id, user, new Date());
      const first = before !== undefined && !before.acknowledged;
      if (first) changed(record);
      return { alert: record, changed: first };
    },

    async clearFromSources(sources, reason) {
      await flush();
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
