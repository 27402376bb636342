/**
 * The API contract between the server and its clients (the editor, scripts): REST bodies and
 * socket.io events as zod schemas with inferred types. Browser-safe: zod only, no Node built-ins.
 * Extend by adding; never rename a field or an event.
 */
export * from './errors.js';
export * from './auth.js';
export * from './flows.js';
export * from './catalog.js';
export * from './system.js';
export * from './events.js';
export * from './devices.js';
export * from './device-live.js';
export * from './edge.js';
export * from './jobs.js';
export * from './alerts.js';
export * from './storage.js';
export * from './timeseries.js';
export { endpoints, endpointPath, type Endpoint, type EndpointName } from './endpoints.js';
export { apiRoutes, type ApiRoutes, type ApiRouteName } from './routes.js';
export { flowNodeSchema, type FlowNode } from '../model/flow-document.js';
