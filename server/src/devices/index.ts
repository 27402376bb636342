export { devicesModule, type DevicesModuleOptions } from './devices-module.js';
export { deviceMigrations } from './migrations.js';
export { createSqliteDeviceStore } from './sqlite-store.js';
export type { DeviceStore, DeviceRecord, ProductRecord, ModelRecord } from './store.js';
export type { DeviceBroker } from './broker.js';
export type { DeviceRegistry } from './registry.js';
export { connectCredentials, connectPassword, sign as enosSign } from './enos-auth.js';

