import type { AnyNodeDefinition } from '@gridflow/runtime';
import { fileInNode } from './file/file-in-node.js';
import { fileNodeRedNode, fileOutNode } from './file/file-out-node.js';
import { httpProxyNode } from './http/http-proxy-config.js';
import { httpRequestNode } from './http/http-request-node.js';
import { scheduleNode } from './schedule/schedule-node.js';
import { sqlConnectionNode } from './sql/connection-node.js';
import { sqlInNode } from './sql/sql-in-node.js';
import { sqlOutNode } from './sql/sql-out-node.js';

export * from './services.js';
export { createJobTracker, JobOverlapError, UnknownScheduleError, type JobTrackerHost, type JobTrackerOptions, type RunChange } from './job-tracker.js';

/** The etl node types; a host builds its registry from these lists. TLS comes from the device nodes' `tls-config`. */
export const etlNodes: AnyNodeDefinition[] = [scheduleNode, sqlConnectionNode, sqlInNode, sqlOutNode, fileInNode, fileOutNode, fileNodeRedNode, httpRequestNode, httpProxyNode];
