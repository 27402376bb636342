import type { AnyNodeDefinition } from '@gridflow/runtime';

/** The stream node types; a host builds its registry from these lists. */
export const streamNodes: AnyNodeDefinition[] = [];
