import { deviceHubKey, type DeviceHub } from '@gridflow/nodes/device';
import type { ServerModule } from '../server.js';
import { createDeviceBroker, type DeviceBroker } from './broker.js';
import { createDeviceFeed, type DeviceFeed } from './device-feed.js';
import { createDurabilityBarrier, durabilityBarrierKey } from './durability-barrier.js';
import { createDeviceHub } from './device-hub.js';
import { createGatewayPosts, gatewayPostsKey } from './gateway-posts.js';
import { createDeviceStateCache } from './device-state.js';
import { createMessageBus } from './message-bus.js';
import { deviceMigrations } from './migrations.js';
import type { Logger } from '../logger.js';
import { createModelCache } from './model-cache.js';
import { withLiveNotes } from './live-registry.js';
import { attachLiveDeviceUpdates } from './live-socket.js';
import { createRecentMessages } from './recent-messages.js';
import { createDeviceRegistry, type DeviceRegistry } from './registry.js';
import { deviceRoutes } from './routes.js';
import { createSqliteDeviceStore } from './sqlite-store.js';

export interface DevicesModuleOptions {
  /** MQTT port of the device broker; the next free port is used when it is taken. 1883 by default; 0 for any. */
  mqttPort?: number;
  /** Interface the device broker listens on; 0.0.0.0 by default. */
  mqttHost?: string;
  /** How often live device state (online, last seen, latest points) is written to the database, in ms. */
  stateFlushMs?: number;
  /** Called once the broker listens (tests and the CLI read the port from it). */
  onStarted?(info: { broker: DeviceBroker; registry: DeviceRegistry; hub: DeviceHub }): void;
}

export interface DevicesServerModule extends ServerModule {
  /** Device messages for other modules (storage, alerts); usable before the module starts. See DeviceFeed. */
  readonly feed: DeviceFeed;
}

/**
 * Device management: the registry (thing models, products, devices, topology) with its REST API,
 * the embedded EnOS-compatible MQTT broker, and the device hub that device nodes use.
 */
export function devicesModule(options: DevicesModuleOptions = {}): DevicesServerModule {
  // The bus exists before setup so that other modules can subscribe in any order; it logs
  // through the host's logger once there is one.
  let hostLogger: Logger | undefined;
  const busLogger: Logger = {
    error: (m, f) => hostLogger?.error(m, f),
    warn: (m, f) => hostLogger?.warn(m, f),
    info: (m, f) => hostLogger?.info(m, f),
    debug: (m, f) => hostLogger?.debug(m, f),
  };
  const bus = createMessageBus(busLogger);
  return {
    name: 'devices',
    migrations: deviceMigrations,
    feed: createDeviceFeed(bus),
    async setup(host) {
      const logger = host.logger;
      hostLogger = logger;
      const store = createSqliteDeviceStore(host.db);
      // Nothing is connected before the broker starts; an unclean stop left devices marked online.
      await store.markAllOffline();
      const models = createModelCache(store);
      const state = createDeviceStateCache(store, logger);
      // Storage (questdb module) registers here so that QoS 1 PUBACKs wait for its commits.
      const barrier = createDurabilityBarrier((err) =>
        logger.error('waiting for device data to be stored failed; acknowledging anyway', { error: err instanceof Error ? err.message : String(err) }),
      );
      host.provide(durabilityBarrierKey, barrier);
      const broker = createDeviceBroker({
        barrier,
        store,
        models,
        state,
        bus,
        logger,
        port: options.mqttPort ?? 1883,
        host: options.mqttHost ?? '0.0.0.0',
      });
      // Editor pages get device changes pushed over socket.io instead of polling (live-socket.ts).
      const live = attachLiveDeviceUpdates({ io: host.io, feed: createDeviceFeed(bus), deviceExists: (d) => registry.getDevice(d.productKey, d.deviceKey), logger });
      const registry = withLiveNotes(createDeviceRegistry({ store, models, state, broker }), live);
      const recent = createRecentMessages(bus);
      const hub = createDeviceHub({ bus, broker, store, models, registry });
      host.provide(deviceHubKey, hub);
      // Edges bound to a gateway device post through this (edges module).
      host.provide(gatewayPostsKey, createGatewayPosts({ store, models, state, bus, connected: (pk, dk) => broker.online(pk, dk) !== undefined }));
      host.api.use(
        deviceRoutes({ registry, hub, broker, recent, audit: host.audit, requireRole: host.requireRole, principalOf: host.principalOf }),
      );
      await broker.start();
      state.start(options.stateFlushMs ?? 1000);
      options.onStarted?.({ broker, registry, hub });
      return {
        async close() {
          live.close();
          recent.close();
          await broker.stop();
          await state.stop();
        },
      };
    },
  };
}
