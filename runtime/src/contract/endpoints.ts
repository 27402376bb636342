import { z } from 'zod';
import {
  createTokenRequestSchema,
  createTokenResponseSchema,
  createUserRequestSchema,
  loginRequestSchema,
  meResponseSchema,
  tokensResponseSchema,
  updateUserRequestSchema,
  userSchema,
  usersResponseSchema,
  type Role,
} from './auth.js';
import { nodesResponseSchema } from './catalog.js';
import {
  createEnrollmentSchema,
  edgeInfoSchema,
  edgePackageInfoSchema,
  edgePackageQuerySchema,
  enrollmentCreatedSchema,
  enrollmentSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  patchEdgeSchema,
} from './edge.js';
import {
  jobRunResponseSchema,
  jobRunsQuerySchema,
  jobRunsResponseSchema,
  jobScheduleResponseSchema,
  jobSchedulesResponseSchema,
  runNowResponseSchema,
} from './jobs.js';
import { ackAlertResponseSchema, alertsQuerySchema, alertsResponseSchema } from './alerts.js';
import {
  deployRequestSchema,
  deployResponseSchema,
  flowsResponseSchema,
  rollbackRequestSchema,
  versionDiffResponseSchema,
  versionResponseSchema,
  versionsQuerySchema,
  versionsResponseSchema,
} from './flows.js';
import {
  auditQuerySchema,
  auditResponseSchema,
  healthResponseSchema,
  injectRequestSchema,
  injectResponseSchema,
  statusResponseSchema,
} from './system.js';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express-style path; `:name` segments are URL parameters. */
  path: string;
  /** Least role needed; 'public' needs no login. */
  auth: Role | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Body of the success response; undefined for 204 No Content. */
  response?: z.ZodType;
  /** Success status when not 200. */
  status?: 201 | 204;
  /** The success body is a file of this media type (a download), not JSON. */
  file?: string;
}

const ok = z.object({ ok: z.literal(true) });

/**
 * The REST API of the server, one entry per route. Errors always have the body `apiErrorSchema`.
 * Paths outside /api that the server reserves: /socket.io, /metrics, /flows and /auth (Node-RED admin API).
 */
export const endpoints = {
  login: { method: 'POST', path: '/api/auth/login', auth: 'public', body: loginRequestSchema, response: meResponseSchema },
  logout: { method: 'POST', path: '/api/auth/logout', auth: 'public', response: ok },
  me: { method: 'GET', path: '/api/auth/me', auth: 'viewer', response: meResponseSchema },

  getFlows: { method: 'GET', path: '/api/flows', auth: 'viewer', response: flowsResponseSchema },
  deploy: { method: 'POST', path: '/api/deploy', auth: 'editor', body: deployRequestSchema, response: deployResponseSchema },

  listVersions: { method: 'GET', path: '/api/versions', auth: 'viewer', query: versionsQuerySchema, response: versionsResponseSchema },
  getVersion: { method: 'GET', path: '/api/versions/:n', auth: 'viewer', response: versionResponseSchema },
  diffVersion: { method: 'GET', path: '/api/versions/:n/diff', auth: 'viewer', response: versionDiffResponseSchema },
  rollback: { method: 'POST', path: '/api/versions/:n/rollback', auth: 'editor', body: rollbackRequestSchema, response: deployResponseSchema },

  nodes: { method: 'GET', path: '/api/nodes', auth: 'viewer', response: nodesResponseSchema },
  inject: { method: 'POST', path: '/api/inject/:id', auth: 'editor', body: injectRequestSchema, response: injectResponseSchema },
  status: { method: 'GET', path: '/api/status', auth: 'viewer', response: statusResponseSchema },
  health: { method: 'GET', path: '/api/health', auth: 'public', response: healthResponseSchema },

  listUsers: { method: 'GET', path: '/api/users', auth: 'admin', response: usersResponseSchema },
  createUser: { method: 'POST', path: '/api/users', auth: 'admin', body: createUserRequestSchema, response: userSchema, status: 201 },
  updateUser: { method: 'PATCH', path: '/api/users/:username', auth: 'admin', body: updateUserRequestSchema, response: userSchema },
  deleteUser: { method: 'DELETE', path: '/api/users/:username', auth: 'admin', status: 204 },

  listTokens: { method: 'GET', path: '/api/tokens', auth: 'viewer', response: tokensResponseSchema },
  createToken: { method: 'POST', path: '/api/tokens', auth: 'viewer', body: createTokenRequestSchema, response: createTokenResponseSchema, status: 201 },
  deleteToken: { method: 'DELETE', path: '/api/tokens/:id', auth: 'viewer', status: 204 },

  audit: { method: 'GET', path: '/api/audit', auth: 'admin', query: auditQuerySchema, response: auditResponseSchema },

  // Edges (server module `edges`). Enrollment is called by the edge agent with its one-time token.
  enrollEdge: { method: 'POST', path: '/api/edge/enroll', auth: 'public', body: enrollRequestSchema, response: enrollResponseSchema, status: 201 },
  listEdges: { method: 'GET', path: '/api/edges', auth: 'viewer', response: z.object({ edges: z.array(edgeInfoSchema) }) },
  listEnrollments: { method: 'GET', path: '/api/edges/enrollments', auth: 'editor', response: z.object({ enrollments: z.array(enrollmentSchema) }) },
  createEnrollment: { method: 'POST', path: '/api/edges/enrollments', auth: 'editor', body: createEnrollmentSchema, response: enrollmentCreatedSchema, status: 201 },
  revokeEnrollment: { method: 'DELETE', path: '/api/edges/enrollments/:id', auth: 'editor', status: 204 },
  updateEdge: { method: 'PATCH', path: '/api/edges/:id', auth: 'editor', body: patchEdgeSchema, response: edgeInfoSchema },
  revokeEdge: { method: 'POST', path: '/api/edges/:id/revoke', auth: 'editor', response: edgeInfoSchema },
  restartEdge: { method: 'POST', path: '/api/edges/:id/restart', auth: 'editor', response: ok },
  /** The edge agent tarball built by `npm run build:edge` (404 until it is built). */
  edgePackage: { method: 'GET', path: '/api/edges/package', auth: 'viewer', file: 'application/gzip' },
  edgePackageInfo: { method: 'GET', path: '/api/edges/package/info', auth: 'viewer', response: edgePackageInfoSchema },
  /** The same tarball for a machine being enrolled: a valid, unused enrollment token stands for the login. */
  edgePackageByToken: { method: 'GET', path: '/api/edge/package', auth: 'public', query: edgePackageQuerySchema, file: 'application/gzip' },

  // ETL jobs (server module `jobs`).
  listJobRuns: { method: 'GET', path: '/api/jobs/runs', auth: 'viewer', query: jobRunsQuerySchema, response: jobRunsResponseSchema },
  getJobRun: { method: 'GET', path: '/api/jobs/runs/:id', auth: 'viewer', response: jobRunResponseSchema },
  listJobSchedules: { method: 'GET', path: '/api/jobs/schedules', auth: 'viewer', response: jobSchedulesResponseSchema },
  getJobSchedule: { method: 'GET', path: '/api/jobs/schedules/:id', auth: 'viewer', response: jobScheduleResponseSchema },
  runJobNow: { method: 'POST', path: '/api/jobs/schedules/:id/run', auth: 'editor', response: runNowResponseSchema, status: 201 },
  pauseJobSchedule: { method: 'POST', path: '/api/jobs/schedules/:id/pause', auth: 'editor', response: jobScheduleResponseSchema },
  resumeJobSchedule: { method: 'POST', path: '/api/jobs/schedules/:id/resume', auth: 'editor', response: jobScheduleResponseSchema },

  // Alerts of threshold alert nodes (server module `alerts`).
  listAlerts: { method: 'GET', path: '/api/alerts', auth: 'viewer', query: alertsQuerySchema, response: alertsResponseSchema },
  ackAlert: { method: 'POST', path: '/api/alerts/:id/ack', auth: 'editor', response: ackAlertResponseSchema },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;

/** Fills `:name` segments of an endpoint path: `endpointPath('getVersion', { n: 3 })` → '/api/versions/3'. */
export function endpointPath(name: EndpointName, params: Record<string, string | number> = {}): string {
  return endpoints[name].path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`endpoint ${name}: missing path parameter "${key}"`);
    return encodeURIComponent(String(value));
  });
}


