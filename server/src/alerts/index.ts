export { alertsModule, type AlertsModuleOptions } from './alerts-module.js';
export { createAlertService, type AlertService, type AlertHistory } from './alert-service.js';
export { createSqliteAlertStore } from './sqlite-alert-store.js';
export { alertMigrations } from './migrations.js';
export type { AlertStore, AlertFilter, NewAlert } from './alert-store.js';
