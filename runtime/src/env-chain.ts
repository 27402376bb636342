import { createEnvLevel, type EnvScope } from './env.js';
import type { FlowPlan } from './plan.js';

export interface EnvTarget {
  id: string;
  name: string;
  flow: string;
  group: string | undefined;
}

/**
 * Builds Node-RED's env lookup chain for a node of a plan:
 * node → its groups (inner first) → tab or subflow instance → (instance's groups → parent flow) → global.
 */
export function createEnvResolver(plan: FlowPlan, root: EnvScope): (target: EnvTarget) => EnvScope {
  const cache = new Map<string, EnvScope>();

  const flowLevel = (flowId: string): EnvScope => {
    const key = `flow:${flowId}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const flow = plan.flows.get(flowId);
    let scope: EnvScope = root;
    if (flow && flow.kind !== 'global') {
      const parentFlow = flow.parent ?? 'global';
      const parent =
        flow.kind === 'subflow'
          ? flow.instanceGroup
            ? groupLevel(flow.instanceGroup, parentFlow)
            : flowLevel(parentFlow)
          : root;
      const instanceName = flow.instanceId ? plan.nodes.get(flow.instanceId)?.raw.name : undefined;
      const specials: Record<string, unknown> =
        flow.kind === 'tab'
          ? { NR_FLOW_ID: flow.id, NR_FLOW_NAME: flow.label }
          : { NR_SUBFLOW_ID: flow.instanceId, NR_SUBFLOW_NAME: instanceName || flow.label };
      scope = createEnvLevel({ parent, env: flow.env, specials });
    }
    cache.set(key, scope);
    return scope;
  };

  const groupLevel = (groupId: string, flowId: string): EnvScope => {
    const key = `group:${groupId}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const group = plan.groups.get(groupId);
    if (!group) return flowLevel(flowId);
    const parent = group.parent ? groupLevel(group.parent, flowId) : flowLevel(flowId);
    const scope = createEnvLevel({ parent, env: group.env, specials: { NR_GROUP_ID: group.id, NR_GROUP_NAME: group.name } });
    cache.set(key, scope);
    return scope;
  };

  return (target) => {
    const base = target.group ? groupLevel(target.group, target.flow) : flowLevel(target.flow);
    return createEnvLevel({ parent: base, specials: { NR_NODE_ID: target.id, NR_NODE_NAME: target.name } });
  };
}
