import { questDbServiceKey } from '@gridflow/nodes/storage';
import { alertSinkKey } from '@gridflow/nodes/stream';
import type { ServerModule } from '../server.js';
import { createAlertBatcher } from './alert-events.js';
import { alertRoutes } from './alert-routes.js';
import { createAlertService, type AlertHistory } from './alert-service.js';
import { alertMigrations } from './migrations.js';
import { createSqliteAlertStore } from './sqlite-alert-store.js';

export interface AlertsModuleOptions {
  /**
   * Where raises and clears are copied as well: the server's QuestDB service
   * (`QuestDbHostService` of @gridflow/nodes/storage, whose `recordAlert` writes the `alerts`
   * table). Asked at each change, so it may appear after this module started. By default the
   * QuestDB module's service when that module runs; without one, SQLite only.
   */
  questDb?: () => AlertHistory | undefined;
  /** How often at most the socket.io `alert` event goes out, in ms. */
  eventIntervalMs?: number;
  /** Cleared and acknowledged alerts kept; older ones are deleted. */
  keepHistory?: number;
}

/**
 * Alerts of threshold alert nodes: provides the `alerts` service nodes raise and clear through,
 * keeps alerts in SQLite (and copies raises and clears to QuestDB when given), serves GET /api/alerts and
 * POST /api/alerts/:id/ack, and sends every change to the editors as the socket.io `alert` event.
 *
 * A node that restarts loses the alerts it raised, so they could never clear: at start (the
 * previous process's nodes are gone) and at each deploy (for the nodes it stopped or started), such
 * alerts are cleared with a message saying why. A deploy that leaves a node running keeps its alerts.
 */
export function alertsModule(options: AlertsModuleOptions = {}): ServerModule {
  return {
    name: 'alerts',
    migrations: alertMigrations,
    async setup(host) {
      const store = createSqliteAlertStore(host.db);
      const editors = host.io.of('/');
      const batcher = createAlertBatcher({
        intervalMs: options.eventIntervalMs ?? 100,
        wanted: () => editors.sockets.size > 0,
        emit: (alerts) => editors.emit('alert', { alerts }),
      });
      const service = createAlertService({
        store,
        logger: host.logger,
        flows: () => host.runtime.flows(),
        onChange: (a) => batcher.offer(a),
        // By default the QuestDB module's service, when that module runs: asked at each change.
        history: options.questDb ?? (() => host.service(questDbServiceKey)),
        keepHistory: options.keepHistory ?? 100_000,
      });
      const cleared = await service.clearFromSources(
        'all',
        'cleared: the server restarted, so the node that raised it started afresh',
      );
      if (cleared) host.logger.info(`alerts: cleared ${cleared} alerts raised before the restart`);

      host.provide(alertSinkKey, service.sink);
      // The runtime's own deploy event comes synchronously once the new nodes are started, before
      // they are wired, so the alerts listed here are those of the stopped instances, not new raises.
      const off = host.runtime.events.on('deploy', (event) => {
        const restarted = [...new Set([...event.stopped, ...event.started])];
        if (!restarted.length) return;
        service
          .clearFromSources(restarted, 'cleared: a deploy restarted or removed the node that raised it')
          .catch((err: unknown) => {
            host.logger.error(`alerts: clearing the alerts of redeployed nodes failed: ${(err as Error).message}`);
          });
      });
      host.api.use(
        alertRoutes({
          store,
          service,
          audit: host.audit,
          requireRole: host.requireRole,
          principalOf: host.principalOf,
        }),
      );
      return {
        async close() {
          off();
          await service.close();
          batcher.close();
        },
      };
    },
  };
}
