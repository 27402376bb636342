import type { PlannedNode } from './plan.js';

/** Config nodes before the nodes that use them, each config node after the config nodes it references. */
export function startOrder(nodes: PlannedNode[]): PlannedNode[] {
  const configs = nodes.filter((n) => n.isConfig);
  const ids = new Set(configs.map((n) => n.id));
  const ordered: PlannedNode[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const byId = new Map(configs.map((n) => [n.id, n]));
  const visit = (n: PlannedNode) => {
    if (done.has(n.id) || visiting.has(n.id)) return;
    visiting.add(n.id);
    for (const v of Object.values(n.raw)) {
      if (typeof v === 'string' && ids.has(v) && v !== n.id) visit(byId.get(v) as PlannedNode);
    }
    visiting.delete(n.id);
    done.add(n.id);
    ordered.push(n);
  };
  configs.forEach(visit);
  return [...ordered, ...nodes.filter((n) => !n.isConfig)];
}

/** Catch and status nodes' scope as Node-RED stores it. */
export function readScope(raw: Record<string, unknown>): string[] | 'group' | null {
  const s = raw['scope'];
  if (s === 'group') return 'group';
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === 'string');
  return null;
}
