import type { AnyNodeDefinition } from '@gridflow/runtime';

/** The app node types; a host builds its registry from these lists. */
export const appNodes: AnyNodeDefinition[] = [];
