import type { AnyNodeDefinition } from '@gridflow/runtime';

/** The storage node types; a host builds its registry from these lists. */
export const storageNodes: AnyNodeDefinition[] = [];
