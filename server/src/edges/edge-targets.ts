import { createHash } from 'node:crypto';
import type { FlowNode } from '@gridflow/runtime';

export interface EdgeRef {
  id: string;
  name: string;
  group: string | null;
}

const str = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** True when a tab runs on edges rather than in the cloud. */
export const isEdgeTab = (n: FlowNode): boolean => n.type === 'tab' && n['target'] === 'edge';

/** Whether an edge-targeted tab names this edge (by id or name) or its group. */
export function tabTargets(tab: FlowNode, edge: EdgeRef): boolean {
  if (!isEdgeTab(tab)) return false;
  const edges = str(tab['edges']);
  const groups = str(tab['edgeGroups']);
  return edges.includes(edge.id) || edges.includes(edge.name) || (edge.group !== null && groups.includes(edge.group));
}

/** The document the cloud runtime runs: everything but edge-targeted tabs and what sits on them. */
export function cloudDocument(flows: readonly FlowNode[]): FlowNode[] {
  const edgeTabs = new Set(flows.filter(isEdgeTab).map((t) => t.id));
  return flows.filter((n) => !edgeTabs.has(n.id) && !(n.z !== undefined && edgeTabs.has(n.z)));
}

/**
 * What one edge needs: its tabs with their nodes and groups, the subflows they use (nested ones
 * too) and every config node they reference, directly or through another config node.
 */
export function edgeDocument(flows: readonly FlowNode[], edge: EdgeRef): FlowNode[] {
  const byId = new Map(flows.map((n) => [n.id, n]));
  const tabs = new Set(flows.filter((t) => tabTargets(t, edge)).map((t) => t.id));
  if (tabs.size === 0) return [];
  const include = new Set<string>(tabs);
  const scopes = [...tabs];
  const subflowScopes = new Set<string>();
  while (scopes.length) {
    const scope = scopes.pop() as string;
    for (const n of flows) {
      if (n.z !== scope) continue;
      include.add(n.id);
      if (n.type.startsWith('subflow:')) {
        const sf = n.type.slice(8);
        if (byId.has(sf) && !subflowScopes.has(sf)) {
          subflowScopes.add(sf);
          include.add(sf);
          scopes.push(sf);
        }
      }
    }
  }
  // Config nodes: every string property equal to the id of a node outside every tab and subflow.
  const isConfig = (n: FlowNode) => n.type !== 'tab' && n.type !== 'subflow' && (n.z === undefined || !byId.has(n.z));
  const pending = [...include];
  while (pending.length) {
    const n = byId.get(pending.pop() as string);
    if (!n) continue;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'id' || k === 'z' || k === 'wires') continue;
      for (const ref of typeof v === 'string' ? [v] : str(v)) {
        const target = byId.get(ref);
        if (target && isConfig(target) && !include.has(ref)) {
          include.add(ref);
          pending.push(ref);
        }
      }
    }
  }
  return flows.filter((n) => include.has(n.id));
}

/** A revision that changes only when the edge's own document changes. */
export function documentRev(doc: readonly FlowNode[]): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 16);
}

/**
 * Takes each node's `credentials` property out of the document, so that secrets travel to an
 * edge only inside the sealed (per-edge encrypted) part of the deployment.
 */
export function splitCredentials(doc: readonly FlowNode[]): {
  flows: FlowNode[];
  credentials: Record<string, Record<string, unknown>>;
} {
  const credentials: Record<string, Record<string, unknown>> = {};
  const flows = doc.map((n) => {
    const secret = n['credentials'];
    if (secret === undefined || secret === null || typeof secret !== 'object') return n;
    const { credentials: _taken, ...rest } = n;
    if (Object.keys(secret).length) credentials[n.id] = { credentials: secret };
    return rest as FlowNode;
  });
  return { flows, credentials };
}
