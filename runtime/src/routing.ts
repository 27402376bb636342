import { cloneMessage, generateId, type Msg } from './message.js';
import type { PlannedFlow, PlannedGroup } from './plan.js';
import type { RunningNode } from './running-node.js';
import type { NodeStatus } from './define-node.js';

/** Catch and status nodes of each flow scope, rebuilt after every deploy. */
export interface RouteIndex {
  catchers: Map<string, RunningNode[]>;
  statusers: Map<string, RunningNode[]>;
}

export interface RoutingDeps {
  flows: Map<string, PlannedFlow>;
  groups: Map<string, PlannedGroup>;
  nodes: Map<string, RunningNode>;
  index: RouteIndex;
  enqueue(target: RunningNode, msg: Msg): void;
  /** A warning from the node (the error-loop cut-off). */
  warn?(node: RunningNode, message: string): void;
}

export function buildRouteIndex(nodes: Iterable<RunningNode>): RouteIndex {
  const catchers = new Map<string, RunningNode[]>();
  const statusers = new Map<string, RunningNode[]>();
  const byId = new Map<string, RunningNode>();
  for (const n of nodes) byId.set(n.id, n);
  for (const n of byId.values()) {
    n.completers = [];
    const role = n.def?.role;
    const map = role === 'catch' ? catchers : role === 'status' ? statusers : undefined;
    if (map) {
      let list = map.get(n.flow);
      if (!list) map.set(n.flow, (list = []));
      list.push(n);
    }
  }
  for (const n of byId.values()) {
    if (n.def?.role !== 'complete' || !Array.isArray(n.scope)) continue;
    for (const id of n.scope) {
      // The planner already rewrites scope ids inside a subflow instance; the prefixed lookup covers an unrewritten one.
      const target = byId.get(id) ?? (n.plan.alias ? byId.get(`${n.flow}-${id}`) : undefined);
      // Node-RED leaves out nodes the complete node is wired to, so that the two cannot loop.
      if (target && !wiredTo(n, target.id)) target.completers.push(n);
    }
  }
  return { catchers, statusers };
}

function wiredTo(from: RunningNode, id: string): boolean {
  return from.plan.wires.some((port) => port.includes(id));
}

/** Group distance from the reporting node up to the candidate's group, or -1 when out of scope. */
function groupDistance(deps: RoutingDeps, reporting: RunningNode, candidate: RunningNode): number {
  if (candidate.group && candidate.scope === 'group' && !reporting.group) return -1;
  if (Array.isArray(candidate.scope) && !candidate.scope.some((s) => s === reporting.id || s === reporting.plan.alias))
    return -1;
  // Node-RED drops the nodes a scoped status node is wired to from its scope, so that the two cannot loop.
  if (candidate.def?.role === 'status' && Array.isArray(candidate.scope) && wiredTo(candidate, reporting.id)) return -1;
  let distance = 0;
  if (reporting.group) {
    let g: PlannedGroup | undefined = deps.groups.get(reporting.group);
    while (g && g.id !== candidate.group) {
      distance++;
      g = g.parent ? deps.groups.get(g.parent) : undefined;
    }
    if (!g && candidate.group && candidate.scope === 'group') return -1;
  }
  return distance;
}

function candidates(deps: RoutingDeps, list: RunningNode[] | undefined, reporting: RunningNode) {
  const found: { d: number; n: RunningNode }[] = [];
  for (const n of list ?? []) {
    const d = groupDistance(deps, reporting, n);
    if (d >= 0) found.push({ d, n });
  }
  return found.sort((a, b) => a.d - b.d);
}

/** Node-RED only gives a node a name when it has one, so an unnamed source has no `name` key. */
function sourceOf(node: RunningNode): { id: string; type: string; name?: string } {
  if (node.name) return { id: node.id, type: node.type, name: node.name };
  if (node.def?.keepsEmptyName && node.plan.raw['name'] === '') return { id: node.id, type: node.type, name: '' };
  return { id: node.id, type: node.type };
}

export interface ErrorShape {
  message: string;
  source: { id: string; type: string; name?: string; count: number };
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
}

/** Node-RED's handleError: nearest catch nodes first, uncaught-only catchers when nothing else took it. */
export function routeError(deps: RoutingDeps, node: RunningNode, err: unknown, msg: Msg | undefined): boolean {
  let count = 1;
  const prior = msg?.['error'] as { source?: { id?: string; count?: number } } | undefined;
  if (prior?.source && prior.source.id === node.id) {
    count = (prior.source.count ?? 0) + 1;
    if (count === 10) {
      // An error loop (a catch flow failing again on the same node): Node-RED stops here, with this warning.
      deps.warn?.(node, 'Message exceeded maximum number of catches');
      return false;
    }
  }
  let handled = false;
  let reporting: RunningNode | undefined = node;
  let flowId = node.flow;
  while (reporting) {
    let handledByUncaught = false;
    for (const { n: catcher } of candidates(deps, deps.index.catchers.get(flowId), reporting)) {
      if (catcher.uncaught && !handledByUncaught) {
        if (handled) continue;
        handledByUncaught = true;
      }
      const out: Msg = msg ? cloneMessage(msg) : { _msgid: generateId() };
      if (Object.prototype.hasOwnProperty.call(out, 'error')) out['_error'] = out['error'];
      out['error'] = errorShape(err, node, count);
      deps.enqueue(catcher, out);
      handled = true;
    }
    if (handled) break;
    const flow = deps.flows.get(flowId);
    if (flow?.kind !== 'subflow' || !flow.instanceId || !flow.parent) break;
    reporting = deps.nodes.get(flow.instanceId);
    flowId = flow.parent;
  }
  return handled;
}

export function errorShape(err: unknown, node: RunningNode, count: number): ErrorShape {
  const shape: ErrorShape = {
    message: err instanceof Error ? err.toString() : String(err),
    source: { ...sourceOf(node), count },
  };
  if (err !== null && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(e, 'code')) shape.code = e['code'];
    if ('stack' in e) shape.stack = e['stack'];
    if (Object.prototype.hasOwnProperty.call(e, 'cause')) shape.cause = e['cause'];
  }
  return shape;
}

export function routeStatus(deps: RoutingDeps, node: RunningNode, status: NodeStatus): boolean {
  let handled = false;
  let reporting: RunningNode | undefined = node;
  let flowId = node.flow;
  while (reporting) {
    for (const { n: target } of candidates(deps, deps.index.statusers.get(flowId), reporting)) {
      const s: Record<string, unknown> = { ...status };
      if (status.text !== undefined) s['text'] = String(status.text);
      s['source'] = sourceOf(node);
      deps.enqueue(target, { _msgid: generateId(), status: s });
      handled = true;
    }
    if (handled) break;
    const flow = deps.flows.get(flowId);
    if (flow?.kind !== 'subflow' || !flow.instanceId || !flow.parent) break;
    reporting = deps.nodes.get(flow.instanceId);
    flowId = flow.parent;
  }
  return handled;
}

export function routeComplete(deps: RoutingDeps, node: RunningNode, msg: Msg): void {
  for (const target of node.completers) {
    const out = cloneMessage(msg);
    out['complete'] = { source: sourceOf(node) };
    deps.enqueue(target, out);
  }
}
