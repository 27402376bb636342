/**
 * Device management for the server. Other modules take device data from `devicesModule().feed`
 * (see DeviceFeed in device-feed.ts): measure points with a back-fill flag, events, lifecycle.
 */
export { devicesModule, type DevicesModuleOptions, type DevicesServerModule } from './devices-module.js';
export { createDeviceFeed, type DeviceFeed, type MeasurePointOptions } from './device-feed.js';
export { deviceMigrations } from './migrations.js';
export { gatewayPostsKey, type GatewayPost, type GatewayPosts, type GatewayPostKind } from './gateway-posts.js';
export type { IngestResult } from './upstream-tsl.js';
export { createSqliteDeviceStore } from './sqlite-store.js';
export type { DeviceStore, DeviceRecord, ProductRecord, ModelRecord } from './store.js';
export type { DeviceBroker } from './broker.js';
export type { DeviceRegistry } from './registry.js';
export { connectCredentials, connectPassword, sign as enosSign } from './enos-auth.js';
export type { MeasurePointsMessage, DeviceMessage, DeviceSubscription } from '@gridflow/nodes/device';
