import type { StorageStatus } from '@gridflow/runtime/contract';
import { deviceHubKey, type DeviceHub } from '@gridflow/nodes/device';
import {
  createSqlClient,
  createWriter,
  questDbServiceKey,
  type QuestDbHostService,
  type Row,
  type Writer,
} from '@gridflow/nodes/storage';
import type { Alert } from '@gridflow/nodes/stream';
import { durabilityBarrierKey } from '../devices/durability-barrier.js';
import { createSqliteDeviceStore } from '../devices/index.js';
import type { ServerHost, ServerModule, ServerModuleHandle } from '../server.js';
import { startDeviceIngest, type DeviceIngest } from '../storage/device-ingest.js';
import { alertRow, historyTablePreparer } from '../storage/history-tables.js';
import { storageMigrations } from '../storage/migrations.js';
import { createSqlitePolicyStore } from '../storage/policy-store.js';
import { createStorageService, type ProductCatalog } from '../storage/storage-service.js';
import { storageRoutes } from '../storage/storage-routes.js';
import { timeseriesRoutes } from '../timeseries/timeseries-routes.js';
import { openQuestDb, type QuestDbService, type QuestDbSettingsInput } from './service.js';

/**
 * QuestDB as part of the server: starts the local QuestDB (or connects to the configured external
 * one), offers it to nodes, stores device data of products with a storage policy, serves the
 * storage policy, time-series and SQL APIs, and stops QuestDB when the server closes.
 */

export interface QuestDbModuleOptions {
  /** Where QuestDB is (external) or how to start it; the local one lives in `<dataDir>/questdb`. */
  questdb?: QuestDbSettingsInput;
  /** A QuestDB already running (tests share one across servers); `questdb` is then ignored and it is not stopped on close. */
  service?: QuestDbService;
  /**
   * The device hub to take measure points from; by default the one the devices module provides
   * (load it before this module). Without a hub, nothing is ingested automatically.
   */
  deviceHub?: () => DeviceHub | undefined;
  /** Products and thing models; the device registry's SQLite tables by default. */
  catalog?: ProductCatalog;
  /** Writer tuning for the device ingest. */
  writer?: { batchRows?: number; maxBufferedRows?: number; flushIntervalMs?: number };
  /**
   * Acknowledge a device's QoS 1 measure point post only once its rows are committed to QuestDB,
   * so that a crash of Gridflow itself loses nothing a device was told had arrived. Off by default:
   * it halves the device path's throughput for devices with a small in-flight window.
   */
  ackAfterCommit?: boolean;
  /** How many rejected rows are kept aside (the newest). */
  rejectedLimit?: number;
  /** Called once QuestDB is ready and the ingest runs (tests, the CLI's start line). */
  onStarted?(info: {
    questdb: QuestDbService;
    writer: Writer;
    ingest: DeviceIngest | undefined;
    service: QuestDbHostService;
  }): void;
}

export function questdbModule(options: QuestDbModuleOptions = {}): ServerModule {
  return {
    name: 'questdb',
    migrations: storageMigrations,
    async setup(host) {
      const logger = host.logger;
      const questdb =
        options.service ??
        (await openQuestDb(options.questdb ?? {}, {
          dataDir: host.config.dataDir,
          onProgress: (line) => logger.info(line),
        }));
      const ownsQuestDb = !options.service;
      try {
        return await wire(host, questdb, ownsQuestDb, options);
      } catch (err) {
        // A QuestDB started here must not outlive a module that failed to start.
        if (ownsQuestDb)
          await questdb
            .close()
            .catch((closeErr: unknown) => logger.error(`stopping QuestDB: ${(closeErr as Error).message}`));
        throw err;
      }
    },
  };
}

async function wire(
  host: ServerHost,
  questdb: QuestDbService,
  ownsQuestDb: boolean,
  options: QuestDbModuleOptions,
): Promise<ServerModuleHandle> {
  const logger = host.logger;
  const connection = questdb.connection;
  const sql = createSqlClient({
    connection,
    log: (level, message) => (level === 'error' ? logger.error(message) : logger.warn(message)),
  });
  const store = createSqlitePolicyStore(host.db);
  const catalog: ProductCatalog = options.catalog ?? deviceCatalog(host.db);
  const storage = createStorageService({ store, catalog, sql, logger });

  // Rejected rows are kept aside in SQLite, a few at a time so a burst costs one transaction.
  const pendingRejects: { table: string; reason: string; row: unknown; at: Date }[] = [];
  const keepAside = (table: string, reason: string, row: Row) => {
    pendingRejects.push({ table, reason, row, at: new Date() });
    logger.warn(`storage: QuestDB refused a row for ${table}: ${reason}`);
  };
  const flushRejects = () => store.addRejected(pendingRejects.splice(0), options.rejectedLimit ?? 10_000);
  const rejectTimer = setInterval(
    () =>
      void flushRejects().catch((err: unknown) =>
        logger.error(`storage: keeping rejected rows failed: ${(err as Error).message}`),
      ),
    1000,
  );
  rejectTimer.unref();

  const prepareHistory = historyTablePreparer(sql);
  const writer = createWriter({
    connection,
    batchRows: options.writer?.batchRows ?? 5000,
    maxBufferedRows: options.writer?.maxBufferedRows ?? 50_000,
    flushIntervalMs: options.writer?.flushIntervalMs ?? 100,
    prepareTable: async (table) => {
      if (await prepareHistory(table)) return;
      await storage.prepareTable(table);
    },
    onRejected: (r) => keepAside(r.table, r.reason, r.row),
    log: (level, message) => logger[level](`storage: ${message}`),
  });

  await storage.start();
  const hub = options.deviceHub ? options.deviceHub() : host.service(deviceHubKey);
  // With ackAfterCommit, QoS 1 device posts are acknowledged once their rows are committed (the devices module's barrier).
  const barrier = options.ackAfterCommit ? host.service(durabilityBarrierKey) : undefined;
  const ingest = hub
    ? startDeviceIngest({
        hub,
        storage,
        writer,
        logger,
        ...(barrier ? { barrier } : {}),
        onInvalid: (row, reason) => keepAside(row.table, reason, row),
      })
    : undefined;
  if (!hub) logger.info('storage: no device hub, so device data is not stored automatically');

  const service: QuestDbHostService = {
    connection,
    managed: questdb.managed !== undefined,
    async recordAlert(alert: Alert) {
      await writer.write(alertRow(alert));
    },
  };
  host.provide(questDbServiceKey, service);

  const status = (): StorageStatus => {
    const s = writer.stats();
    return {
      questdb: {
        managed: questdb.managed !== undefined,
        host: connection.host,
        httpPort: connection.httpPort,
        pgPort: connection.pgPort,
        consoleUrl: `${connection.tls ? 'https' : 'http'}://${connection.host}:${connection.httpPort}/`,
      },
      ingest: {
        written: s.written,
        buffered: s.buffered,
        retried: s.retried,
        rejected: s.rejected,
        state: s.state,
        ...(s.lastError !== undefined ? { lastError: s.lastError } : {}),
      },
    };
  };
  host.api.use(
    storageRoutes({
      storage,
      store,
      status,
      audit: host.audit,
      requireRole: host.requireRole,
      principalOf: host.principalOf,
    }),
  );
  host.api.use(timeseriesRoutes({ sql, lookup: (key) => storage.lookup(key), requireRole: host.requireRole }));
  options.onStarted?.({ questdb, writer, ingest, service });

  return {
    async close() {
      ingest?.close();
      // Modules close before the runtime; flows writing to the QuestDB stopped here must flush first.
      if (ownsQuestDb) await host.runtime.stop();
      const { unsent } = await writer.close({ timeoutMs: 10_000 });
      if (unsent) logger.error(`storage: ${unsent} rows were not stored before QuestDB closed`);
      clearInterval(rejectTimer);
      await flushRejects().catch((err: unknown) =>
        logger.error(`storage: keeping rejected rows failed: ${(err as Error).message}`),
      );
      await sql.close();
      if (ownsQuestDb) await questdb.close();
    },
  };
}

/** Products and models from the device registry's tables (read only; the devices module owns them). */
function deviceCatalog(db: Parameters<typeof createSqliteDeviceStore>[0]): ProductCatalog {
  // Made on first use: without the devices module its tables do not exist, and no policy can be saved.
  let store: ReturnType<typeof createSqliteDeviceStore> | undefined;
  const devices = () => (store ??= createSqliteDeviceStore(db));
  return {
    async getProduct(productKey) {
      const p = await devices().getProduct(productKey);
      return p ? { productKey: p.productKey, modelId: p.modelId, devices: p.devices } : undefined;
    },
    async getModel(id) {
      return (await devices().getModel(id))?.model;
    },
  };
}
