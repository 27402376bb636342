import type { AnyNodeDefinition } from '@gridflow/runtime';

/** inject, debug, function, change, switch, range, template, json, yaml, csv. */
export const transformNodes: AnyNodeDefinition[] = [];
