import type { DeployType, FlowDiff } from './model/diff.js';
import type { FlowDocument } from './model/flow-document.js';
import type { FlowPlan, PlannedNode } from './plan.js';
import type { RunningNode } from './running-node.js';

export interface RestartInput {
  type: DeployType;
  before: FlowDocument;
  after: FlowDocument;
  diff: FlowDiff;
  plan: FlowPlan;
  running: Map<string, RunningNode>;
}

/** The running nodes a deploy must restart; nodes missing from the new plan are stopped regardless. */
export function selectRestarts(input: RestartInput): Set<string> {
  const { type, diff, plan, running } = input;
  if (type === 'full') return new Set(running.keys());
  const changed = new Set([...diff.changed, ...diff.added, ...diff.removed]);
  const changedFlows = new Set(diff.changedFlows);
  const restart = new Set<string>();

  // The document-level ids a planned node stands for: itself, or its definition node and every
  // subflow instance it sits in (nested instances included).
  const originsOf = (p: PlannedNode): { ids: string[]; tab: string | undefined; subflows: string[] } => {
    const ids = [p.alias ?? p.id];
    const subflows: string[] = [];
    let flow = plan.flows.get(p.flow);
    while (flow?.kind === 'subflow') {
      if (flow.instanceId) ids.push(plan.nodes.get(flow.instanceId)?.alias ?? flow.instanceId);
      if (flow.subflowId) subflows.push(flow.subflowId);
      flow = flow.parent ? plan.flows.get(flow.parent) : undefined;
    }
    return { ids, tab: flow?.kind === 'tab' ? flow.id : undefined, subflows };
  };

  for (const id of running.keys()) {
    const p = plan.nodes.get(id);
    if (!p) continue;
    const { ids, tab, subflows } = originsOf(p);
    if (type === 'flows') {
      const hit = (tab && changedFlows.has(tab)) || subflows.some((s) => changedFlows.has(s)) || ids.some((i) => changed.has(i));
      if (hit) restart.add(id);
    } else if (ids.some((i) => changed.has(i)) || subflows.some((s) => changed.has(s))) {
      restart.add(id);
    }
  }
  return restart;
}
