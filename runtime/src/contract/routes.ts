import { deviceEndpoints } from './devices.js';
import { endpoints, type Endpoint } from './endpoints.js';
import { storageEndpoints } from './storage.js';
import { timeseriesEndpoints } from './timeseries.js';

/**
 * Every REST route of the server in one table: the core endpoints and those of the modules
 * (devices, edges, jobs, alerts, time series, storage policies). The OpenAPI document
 * (server/src/openapi) and the typed client (@gridflow/client) are both derived from it, so a route
 * added to one of these tables shows up in both. Route names must be unique across the tables.
 */
export const apiRoutes = {
  ...endpoints,
  ...deviceEndpoints,
  ...timeseriesEndpoints,
  ...storageEndpoints,
} as const satisfies Record<string, Endpoint>;

export type ApiRoutes = typeof apiRoutes;
export type ApiRouteName = keyof ApiRoutes;
