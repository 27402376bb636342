import { nodeSignature } from '@gridflow/runtime/model';
import { validateNode, type Catalog, type FlowDoc, type FlowNode, type NodeProblem } from '../model/index.js';

/**
 * Values computed from the document, memoised on its identity. Per-node results are cached on the
 * node object itself, so an edit costs work for the nodes it touched, not for all 2,000.
 */
const problemCache = new WeakMap<FlowNode, { configKey: string; catalog: Catalog; problems: NodeProblem[] }>();
let lastProblems: { doc: FlowDoc; catalog: Catalog; result: ReadonlyMap<string, NodeProblem[]> } | undefined;

function configKeyOf(doc: FlowDoc): string {
  // Problems depend on the node and on which config nodes exist (references).
  return doc
    .filter((n) => n.z === undefined && n.type !== 'tab' && n.type !== 'subflow')
    .map((n) => `${n.id}:${n.type}`)
    .join(',');
}

export function localProblems(doc: FlowDoc, catalog: Catalog): ReadonlyMap<string, NodeProblem[]> {
  if (lastProblems && lastProblems.doc === doc && lastProblems.catalog === catalog) return lastProblems.result;
  const result = new Map<string, NodeProblem[]>();
  if (catalog.size > 0) {
    const configKey = configKeyOf(doc);
    for (const n of doc) {
      let cached = problemCache.get(n);
      if (!cached || cached.configKey !== configKey || cached.catalog !== catalog) {
        cached = { configKey, catalog, problems: validateNode(n, catalog.get(n.type), doc, catalog) };
        problemCache.set(n, cached);
      }
      if (cached.problems.length > 0) result.set(n.id, cached.problems);
    }
  }
  lastProblems = { doc, catalog, result };
  return result;
}

let lastChanged: { doc: FlowDoc; deployed: FlowDoc; result: ReadonlySet<string> } | undefined;

/** Ids of nodes added or changed since the last deploy (the blue dot), and of removed ones. */
export function changedNodes(doc: FlowDoc, deployed: FlowDoc): ReadonlySet<string> {
  if (lastChanged && lastChanged.doc === doc && lastChanged.deployed === deployed) return lastChanged.result;
  const before = new Map(deployed.map((n) => [n.id, n]));
  const result = new Set<string>();
  for (const n of doc) {
    const old = before.get(n.id);
    before.delete(n.id);
    if (old === n) continue;
    if (!old || nodeSignature(old) !== nodeSignature(n) || JSON.stringify(old.wires) !== JSON.stringify(n.wires)) {
      result.add(n.id);
    }
  }
  for (const id of before.keys()) result.add(id);
  lastChanged = { doc, deployed, result };
  return result;
}

/** True when the document differs from the deployed one in anything, positions included. */
export function isDirty(doc: FlowDoc, deployed: FlowDoc): boolean {
  if (doc === deployed) return false;
  if (doc.length !== deployed.length) return true;
  for (let i = 0; i < doc.length; i++) {
    const a = doc[i];
    const b = deployed[i];
    if (a !== b && JSON.stringify(a) !== JSON.stringify(b)) return true;
  }
  return false;
}

let lastMerged:
  | { local: ReadonlyMap<string, NodeProblem[]>; server: ReadonlyMap<string, NodeProblem[]>; doc: FlowDoc; result: ReadonlyMap<string, NodeProblem[]> }
  | undefined;

/**
 * Local problems plus the server's from the last failed deploy, for nodes not edited since.
 * Arrays of nodes without server problems keep their identity, so their components do not redraw.
 */
export function allProblems(
  doc: FlowDoc,
  local: ReadonlyMap<string, NodeProblem[]>,
  server: ReadonlyMap<string, NodeProblem[]>,
  problemDoc: FlowDoc,
): ReadonlyMap<string, NodeProblem[]> {
  if (server.size === 0) return local;
  if (lastMerged && lastMerged.local === local && lastMerged.server === server && lastMerged.doc === doc) return lastMerged.result;
  const sent = new Map(problemDoc.map((n) => [n.id, n]));
  const current = new Map(doc.map((n) => [n.id, n]));
  const result = new Map(local);
  for (const [id, problems] of server) {
    const node = current.get(id);
    if (!node || node !== sent.get(id)) continue;
    result.set(id, [...(local.get(id) ?? []), ...problems]);
  }
  lastMerged = { local, server, doc, result };
  return result;
}
