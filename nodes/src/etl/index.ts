import type { AnyNodeDefinition } from '@gridflow/runtime';

/** The etl node types; a host builds its registry from these lists. */
export const etlNodes: AnyNodeDefinition[] = [];
