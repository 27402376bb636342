import { createEnvResolver } from './env-chain.js';
import type { NodeProblem } from './errors.js';
import type { FlowPlan } from './plan.js';
import type { Registry } from './registry.js';
import { resolveNodeConfig } from './validate.js';

type RootEnv = Parameters<typeof createEnvResolver>[1];

/** Every problem of a planned document: unknown types, undefined subflows, bad properties. */
export function validatePlan(next: FlowPlan, registry: Registry, rootEnv: RootEnv): NodeProblem[] {
  const problems: NodeProblem[] = [];
  const resolveEnv = createEnvResolver(next, rootEnv);
  for (const p of next.nodes.values()) {
    if (p.synthetic) continue;
    const def = registry.get(p.type);
    if (!def) {
      const message = p.type.startsWith('subflow:')
        ? `subflow "${p.type.slice(8)}" is not defined in this document`
        : `unknown node type "${p.type}"`;
      problems.push({ nodeId: p.id, type: p.type, message });
      continue;
    }
    const env = resolveEnv({ id: p.id, name: p.raw.name ?? '', flow: p.flow, group: p.group });
    problems.push(...resolveNodeConfig(def, p.raw, env, p.id).problems);
  }
  return problems;
}
