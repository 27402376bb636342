import type { AnyNodeDefinition } from '@gridflow/runtime';
import { batchNode } from './batch/batch.js';
import { catchNode } from './catch/catch.js';
import { commentNode } from './comment/comment.js';
import { completeNode } from './complete/complete.js';
import { delayNode } from './delay/delay.js';
import { filterNode } from './filter/filter.js';
import { joinNode } from './join/join.js';
import { junctionNode } from './junction/junction.js';
import { linkCallNode } from './link/link-call.js';
import { linkInNode } from './link/link-in.js';
import { linkOutNode } from './link/link-out.js';
import { sortNode } from './sort/sort.js';
import { splitNode } from './split/split.js';
import { statusNode } from './status/status.js';
import { triggerNode } from './trigger/trigger.js';

/** delay, trigger, filter, split, join, sort, batch, catch, status, complete, link in/out/call, comment, junction. */
export const sequenceNodes: AnyNodeDefinition[] = [
  catchNode,
  statusNode,
  completeNode,
  linkInNode,
  linkOutNode,
  linkCallNode,
  junctionNode,
  commentNode,
  splitNode,
  joinNode,
  delayNode,
  triggerNode,
  filterNode,
  sortNode,
  batchNode,
] as AnyNodeDefinition[];
