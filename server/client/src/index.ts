/**
 * @gridflow/client: a typed client for the Gridflow REST API. Each function takes and returns the
 * types of the server's contract (@gridflow/runtime/contract), from the same route table the
 * server's OpenAPI document is built from.
 */
export { createGridflowClient, type GridflowClient, type GridflowClientOptions } from './client.js';
export { GridflowApiError, GridflowContractError } from './errors.js';
export type { GridflowApi, RouteArgs, RouteResult, RouteFunction, PathParamNames } from './route-types.js';
export { apiRoutes, type ApiRouteName } from '@gridflow/runtime/contract';
export type * from '@gridflow/runtime/contract';
