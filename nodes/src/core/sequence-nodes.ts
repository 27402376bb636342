import type { AnyNodeDefinition } from '@gridflow/runtime';

/** delay, trigger, filter, split, join, sort, batch, catch, status, complete, link in/out/call, comment, junction. */
export const sequenceNodes: AnyNodeDefinition[] = [];
