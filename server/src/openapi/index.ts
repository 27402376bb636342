export { openApiModule, openApiRoutes, servedRoutes, type OpenApiModuleOptions } from './openapi-module.js';
export { buildOpenApiDocument, openApiPath, type OpenApiDocument, type OpenApiOptions } from './openapi-document.js';
export { mountedRoutes, type MountedRoute } from './mounted-routes.js';
