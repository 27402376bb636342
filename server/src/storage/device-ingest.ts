import type { DeviceHub, DeviceMessage, DeviceSubscription, MeasurePointsMessage } from '@gridflow/nodes/device';
import { InvalidRowError, type ColumnType, type FieldValue, type Row, type Writer } from '@gridflow/nodes/storage';
import type { DurabilityBarrier } from '../devices/durability-barrier.js';
import type { Logger } from '../logger.js';
import { eventRow } from './history-tables.js';
import { qualityColumn } from './policy.js';
import type { ActiveProduct, StorageService } from './storage-service.js';

/**
 * Device data into QuestDB by itself: every measure point message (live or back-filled) and every
 * event of a product with a storage policy becomes a row for the writer. The writer's bounded
 * buffer is the back-pressure: while it is full the subscription is paused, so the device broker
 * stops reading from device connections instead of memory growing. With a durability barrier,
 * the broker holds a QoS 1 PUBACK until the rows of its message are committed.
 */

export interface DeviceIngestOptions {
  hub: DeviceHub;
  storage: StorageService;
  writer: Writer;
  logger: Logger;
  /** Told of every message rows were taken from, and asked to wait for their commit (the devices module's). */
  barrier?: DurabilityBarrier;
  /** Rows the writer refused before buffering them (a value that cannot be converted). */
  onInvalid(row: Row, reason: string): void;
}

export interface DeviceIngest {
  /** Messages seen, rows handed to the writer, messages of products without a (storing) policy. */
  stats(): { messages: number; rows: number; skipped: number };
  close(): void;
}

/** A point value as its column wants it: structures as JSON, dates as Dates. */
function columnValue(value: unknown, type: ColumnType): FieldValue {
  if (value === null || value === undefined) return null;
  if (type === 'varchar') return typeof value === 'string' ? value : JSON.stringify(value);
  if (type === 'timestamp')
    return typeof value === 'number' || typeof value === 'string' ? new Date(value) : (value as FieldValue);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint')
    return value;
  return JSON.stringify(value);
}

/**
 * The row of a measure point message: 'unknown-point' when a point is not in the cached model
 * (unless `skipUnknown`, which leaves such points out), undefined when nothing of it is stored.
 */
export function measureRow(
  active: ActiveProduct,
  message: MeasurePointsMessage,
  skipUnknown = false,
): Row | 'unknown-point' | undefined {
  const columns: Record<string, FieldValue> = {};
  const types: Record<string, ColumnType> = {};
  let any = false;
  for (const [id, value] of Object.entries(message.points)) {
    const info = active.points.get(id);
    if (!info) {
      if (skipUnknown) continue;
      return 'unknown-point';
    }
    if (!info.stored) continue;
    columns[info.column] = columnValue(value, info.type);
    types[info.column] = info.type;
    any = true;
    const quality = message.quality?.[id];
    if (info.hasQuality && quality !== undefined) {
      columns[qualityColumn(id)] = quality;
      types[qualityColumn(id)] = 'int';
    }
  }
  if (!any) return undefined;
  return { table: active.table, symbols: { device: message.deviceKey }, columns, types, ts: message.time };
}

export function startDeviceIngest(options: DeviceIngestOptions): DeviceIngest {
  const { storage, writer, logger } = options;
  const counts = { messages: 0, rows: 0, skipped: 0 };
  let closed = false;
  const barrier = options.barrier;
  // Messages waiting for a model refresh: their rows reach the writer later, and the barrier waits for that.
  const late = new Set<Promise<void>>();
  const whenStored = (): Promise<void> =>
    late.size > 0 ? Promise.allSettled([...late]).then(() => writer.stored()) : writer.stored();
  const offBarrier = barrier?.register(whenStored);

  const notBuffered = (row: Row, err: unknown) => {
    if (err instanceof InvalidRowError) options.onInvalid(row, err.message);
    else if (!closed) logger.error(`storage: a row for ${row.table} was not buffered: ${(err as Error).message}`);
  };
  const write = (row: Row) => {
    counts.rows++;
    // Mostly there is room: tryWrite buffers the row without a promise per row (tens of thousands a
    // second). When full, write() waits in line behind the rows already waiting, so order holds.
    try {
      if (writer.tryWrite(row)) return;
    } catch (err) {
      notBuffered(row, err);
      return;
    }
    writer.write(row).catch((err: unknown) => notBuffered(row, err));
  };

  // One model refresh per product at a time (messages meanwhile wait for it), and none again within
  // a second of the last: a point the model really lacks must not cost a refresh per message.
  const refreshing = new Map<string, Promise<ActiveProduct | undefined>>();
  const refreshedAt = new Map<string, number>();
  function freshModel(productKey: string): Promise<ActiveProduct | undefined> {
    const running = refreshing.get(productKey);
    if (running) return running;
    if (Date.now() - (refreshedAt.get(productKey) ?? 0) < 1000) return Promise.resolve(storage.active(productKey));
    const job = storage.refreshModel(productKey).finally(() => {
      refreshing.delete(productKey);
      refreshedAt.set(productKey, Date.now());
    });
    refreshing.set(productKey, job);
    return job;
  }

  async function withFreshModel(message: MeasurePointsMessage): Promise<void> {
    const active = await freshModel(message.productKey);
    if (!active) return;
    const unknown = Object.keys(message.points).filter((p) => !active.points.has(p));
    if (unknown.length) {
      logger.warn(
        `storage ${message.productKey}/${message.deviceKey}: points not in the thing model, not stored: ${unknown.join(', ')}`,
      );
    }
    const row = measureRow(active, message, true);
    if (row && row !== 'unknown-point') write(row);
  }

  const listener = (message: DeviceMessage) => {
    counts.messages++;
    const active = storage.active(message.productKey);
    if (!active) {
      counts.skipped++;
      return;
    }
    if (message.kind === 'event') {
      barrier?.take();
      write(eventRow(message));
      return;
    }
    if (message.kind !== 'measurepoints') return;
    const row = measureRow(active, message);
    if (row === 'unknown-point') {
      // The model gained a point since the cache was filled: read it again, add the column, then store.
      barrier?.take();
      const job = withFreshModel(message).catch((err: unknown) =>
        logger.error(
          `storage ${message.productKey}/${message.deviceKey}: ${(err as Error).message}; a message was not stored`,
        ),
      );
      late.add(job);
      void job.finally(() => late.delete(job));
    } else if (row) {
      barrier?.take();
      write(row);
    }
  };

  const subscription: DeviceSubscription = options.hub.subscribe({ kinds: ['measurepoints', 'event'] }, listener);
  const offPause = writer.onPausedChange((paused) => (paused ? subscription.pause() : subscription.resume()));

  return {
    stats: () => ({ ...counts }),
    close() {
      closed = true;
      offBarrier?.();
      offPause();
      subscription.close();
    },
  };
}
