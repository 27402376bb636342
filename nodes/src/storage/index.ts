import type { AnyNodeDefinition } from '@gridflow/runtime';
import { questDbConfigNode } from './questdb-config.js';
import { questDbOutNode } from './questdb-out.js';
import { questDbQueryNode } from './questdb-query.js';

/** The storage node types; a host builds its registry from these lists. */
export const storageNodes: AnyNodeDefinition[] = [
  questDbConfigNode,
  questDbOutNode,
  questDbQueryNode,
] as AnyNodeDefinition[];

export type { QuestDbConfigApi } from './questdb-config.js';
export { rowsFromMessage, MessageShapeError, type MsgRowSettings } from './msg-rows.js';
export * from './questdb/index.js';
export { questDbServiceKey, type QuestDbHostService } from './services.js';
