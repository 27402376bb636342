import type { FlowDocument, FlowNode } from './flow-document.js';

export type DeployType = 'full' | 'flows' | 'nodes';

export interface FlowDiff {
  added: string[];
  removed: string[];
  changed: string[];
  /** Nodes whose only change is their wires: routing is updated, the node keeps running. */
  rewired: string[];
  /** Tabs or subflows that hold at least one added, removed or changed node. */
  changedFlows: string[];
}

// Layout-only fields: moving a node on the canvas does not restart it. Wires are compared
// apart: a rewired node keeps running, only its routing changes.
const LAYOUT_KEYS = new Set(['x', 'y', 'w', 'h', 'l', 'wires']);

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}

export function nodeSignature(node: FlowNode): string {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(node)) if (!LAYOUT_KEYS.has(k)) copy[k] = node[k];
  return stableStringify(copy);
}

/**
 * Which nodes differ between two documents. A node also counts as changed when a config node
 * it references changed, or when the subflow it instantiates changed, as in Node-RED.
 */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowDiff {
  const oldById = new Map(before.map((n) => [n.id, n]));
  const newById = new Map(after.map((n) => [n.id, n]));
  const changed = new Set<string>();
  const added: string[] = [];
  const removed: string[] = [];
  const rewired: string[] = [];
  for (const n of after) {
    const old = oldById.get(n.id);
    if (!old) added.push(n.id);
    else if (nodeSignature(old) !== nodeSignature(n)) changed.add(n.id);
    else if (JSON.stringify(old.wires ?? []) !== JSON.stringify(n.wires ?? [])) rewired.push(n.id);
  }
  for (const n of before) if (!newById.has(n.id)) removed.push(n.id);

  // Propagate: a node referencing a changed/added/removed id (config node, subflow) is changed too.
  const dirty = new Set<string>([...changed, ...added, ...removed]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of after) {
      if (dirty.has(n.id)) continue;
      if (referencesAny(n, dirty)) {
        dirty.add(n.id);
        changed.add(n.id);
        grew = true;
      }
    }
  }
  const changedFlows = new Set<string>();
  for (const id of [...dirty, ...rewired]) {
    const n = newById.get(id) ?? oldById.get(id);
    if (!n) continue;
    if (n.type === 'tab' || n.type === 'subflow') changedFlows.add(n.id);
    else if (n.z) changedFlows.add(n.z);
  }
  return { added, removed, changed: [...changed], rewired, changedFlows: [...changedFlows] };
}

function referencesAny(node: FlowNode, ids: Set<string>): boolean {
  if (node.type.startsWith('subflow:') && ids.has(node.type.slice(8))) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' || key === 'z' || key === 'wires' || key === 'g') continue;
    if (typeof value === 'string' && ids.has(value)) return true;
  }
  return false;
}
