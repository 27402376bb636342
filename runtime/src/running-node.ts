import type { AnyNodeDefinition, Done, NodeContext, NodeHandlers, NodeStatus, Send } from './define-node.js';
import type { Msg } from './message.js';
import type { PlannedNode } from './plan.js';

/** A started node as the engine keeps it. */
export interface RunningNode {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly plan: PlannedNode;
  readonly def: AnyNodeDefinition | undefined;
  readonly flow: string;
  readonly group: string | undefined;
  ctx: NodeContext;
  handlers: NodeHandlers;
  input: ((msg: Msg, send: Send, done: Done) => unknown) | undefined;
  /** Handlers with fewer than three parameters are done when input returns (Node-RED's rule). */
  autoDone: boolean;
  outputs: RunningNode[][];
  send: Send;
  /** Complete nodes listening to this node; empty for most nodes. */
  completers: RunningNode[];
  timers: Set<NodeJS.Timeout>;
  status: NodeStatus | undefined;
  closed: boolean;
  counters: { in: number; out: number; errors: number; queued: number };
  /** Role-specific settings read from the raw config (catch/status scope). */
  scope: string[] | 'group' | null;
  uncaught: boolean;
}
