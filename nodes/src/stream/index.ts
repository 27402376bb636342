import type { AnyNodeDefinition } from '@gridflow/runtime';
import { aggregateNode } from './aggregate-node.js';
import { anomalyNode } from './anomaly-node.js';
import { dataQualityNode } from './data-quality-node.js';
import { deadbandNode } from './deadband-node.js';
import { mergeNode } from './merge-node.js';
import { rateLimitNode } from './rate-limit-node.js';
import { smoothNode } from './smooth-node.js';
import { thresholdAlertNode } from './threshold-alert-node.js';
import { windowNode } from './window-node.js';

export { alertSinkKey, type Alert, type AlertSink } from './alert-sink.js';

/** The stream node types; a host builds its registry from these lists. */
export const streamNodes: AnyNodeDefinition[] = [
  windowNode,
  aggregateNode,
  rateLimitNode,
  deadbandNode,
  smoothNode,
  mergeNode,
  dataQualityNode,
  anomalyNode,
  thresholdAlertNode,
] as AnyNodeDefinition[];
