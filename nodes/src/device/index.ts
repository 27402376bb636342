import type { AnyNodeDefinition } from '@gridflow/runtime';

export * from './hub.js';

/** The device node types; a host builds its registry from these lists. */
export const deviceNodes: AnyNodeDefinition[] = [];
