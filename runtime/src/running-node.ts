import type { AnyNodeDefinition, Done, NodeContext, NodeHandlers, NodeStatus, Send } from './define-node.js';
import type { Msg } from './message.js';
import type { PlannedNode } from './plan.js';
import { readScope } from './start-order.js';

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

/** A node before it starts: no handlers, no wiring; the engine fills in send, ctx and handlers. */
export function newRunningNode(p: PlannedNode, def: AnyNodeDefinition | undefined): RunningNode {
  return {
    id: p.id,
    type: p.type,
    name: typeof p.raw.name === 'string' ? p.raw.name : '',
    plan: p,
    def,
    flow: p.flow,
    group: p.group,
    ctx: undefined as unknown as RunningNode['ctx'],
    handlers: {},
    input: undefined,
    autoDone: true,
    outputs: [],
    send: () => undefined,
    completers: [],
    timers: new Set(),
    status: undefined,
    closed: false,
    counters: { in: 0, out: 0, errors: 0, queued: 0 },
    scope: readScope(p.raw),
    uncaught: p.raw['uncaught'] === true,
  };
}
