import type { AnyNodeDefinition } from '@gridflow/runtime';
import { appNodes } from './app/index.js';
import { coreNodes } from './core/index.js';
import { deviceNodes } from './device/index.js';
import { edgeNodes } from './edge/index.js';
import { etlNodes } from './etl/index.js';
import { storageNodes } from './storage/index.js';
import { streamNodes } from './stream/index.js';

export { appNodes, coreNodes, deviceNodes, edgeNodes, etlNodes, storageNodes, streamNodes };

/** Every node type Gridflow ships, for hosts that want them all (the server). */
export const allNodes: AnyNodeDefinition[] = [
  ...coreNodes,
  ...deviceNodes,
  ...streamNodes,
  ...storageNodes,
  ...etlNodes,
  ...appNodes,
  ...edgeNodes,
];
