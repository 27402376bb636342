import { expandGroups } from './edit.js';
import { idGenerator } from './ids.js';
import { referencesId } from './query.js';
import { portsOf } from './subflow-ports.js';
import type { FlowDoc, FlowNode, Point } from './types.js';

/**
 * The nodes to copy or export for a selection, as Node-RED's `createExportableNodeSet` builds it:
 * group contents, the subflow definitions (and their contents) that instances use, the config
 * nodes any of them reference; wires leaving the set are cut.
 */
export function exportableSet(doc: FlowDoc, ids: Iterable<string>): FlowNode[] {
  const chosen = expandGroups(doc, ids);
  const byId = new Map(doc.map((n) => [n.id, n]));
  // Subflow definitions used by instances, with everything inside them, transitively.
  let grew = true;
  while (grew) {
    grew = false;
    for (const id of [...chosen]) {
      const n = byId.get(id);
      if (!n || !n.type.startsWith('subflow:')) continue;
      const defId = n.type.slice(8);
      if (chosen.has(defId) || !byId.has(defId)) continue;
      chosen.add(defId);
      for (const inner of doc) if (inner.z === defId) chosen.add(inner.id);
      grew = true;
    }
  }
  for (const n of doc) {
    if (chosen.has(n.id) || n.z !== undefined || n.wires !== undefined) continue;
    if (n.type === 'tab' || n.type === 'subflow' || n.type === 'group') continue;
    for (const id of chosen) {
      const user = byId.get(id);
      if (user && referencesId(user, n.id)) {
        chosen.add(n.id);
        break;
      }
    }
  }
  return doc
    .filter((n) => chosen.has(n.id))
    .map((n) => (n.wires ? { ...n, wires: n.wires.map((w) => w.filter((t) => chosen.has(t))) } : n));
}

export interface PasteOptions {
  /** Tab or subflow that nodes without a pasted container go on. */
  z: string;
  /** Where the top-left of the pasted nodes' bounding box lands; unchanged positions when absent. */
  at?: Point | undefined;
}

export interface PasteResult {
  doc: FlowDoc;
  /** New ids of the pasted nodes that are drawn on `z` (to select them). */
  placed: string[];
  /** New ids of pasted tabs, if the paste brought any. */
  tabs: string[];
}

function sameContent(a: FlowNode, b: FlowNode): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Pastes Node-RED JSON: every node gets a new id and every reference follows (wires, `z`, `g`,
 * group members, subflow ports and instances, link node targets, config node references). A config
 * node or subflow definition identical to one already in the document is reused, not duplicated.
 */
export function pasteNodes(doc: FlowDoc, incoming: readonly FlowNode[], opts: PasteOptions): PasteResult {
  const existing = new Map(doc.map((n) => [n.id, n]));
  const nextId = idGenerator([...existing.keys(), ...incoming.map((n) => n.id)]);
  const idMap = new Map<string, string>();
  const reused = new Set<string>();
  for (const n of incoming) {
    const current = existing.get(n.id);
    const shared = n.type === 'subflow' || (n.z === undefined && n.x === undefined && n.wires === undefined);
    if (current && shared && n.type !== 'tab' && sameContent(current, n)) {
      reused.add(n.id);
      idMap.set(n.id, n.id);
    } else {
      idMap.set(n.id, nextId());
    }
  }
  const containers = new Set(incoming.filter((n) => n.type === 'tab' || n.type === 'subflow').map((n) => n.id));
  const map = (id: string): string => idMap.get(id) ?? id;
  const offset = pasteOffset(incoming, containers, opts.at);

  const added: FlowNode[] = [];
  const placed: string[] = [];
  const tabs: string[] = [];
  for (const n of incoming) {
    // A reused subflow definition keeps its own contents.
    if (reused.has(n.id) || (n.z !== undefined && reused.has(n.z))) continue;
    const copy: FlowNode = { ...structuredClone(n), id: map(n.id) };
    for (const [key, value] of Object.entries(copy)) {
      if (key === 'id' || key === 'z' || key === 'wires') continue;
      if (typeof value === 'string' && idMap.has(value) && value !== n.id) copy[key] = map(value);
    }
    if (n.type === 'tab') tabs.push(copy.id);
    if (n.type.startsWith('subflow:')) copy.type = `subflow:${map(n.type.slice(8))}`;
    if (n.g !== undefined) {
      if (idMap.has(n.g)) copy.g = map(n.g);
      else delete copy.g;
    }
    if (n.wires) copy.wires = n.wires.map((w) => w.filter((t) => idMap.has(t)).map(map));
    if (Array.isArray(n['links'])) copy['links'] = (n['links'] as unknown[]).map((l) => (typeof l === 'string' ? map(l) : l));
    if (n.type === 'group' && Array.isArray(n['nodes'])) {
      copy['nodes'] = (n['nodes'] as unknown[]).filter((m) => typeof m === 'string' && idMap.has(m)).map((m) => map(String(m)));
    }
    if (n.type === 'subflow') {
      const remap = (p: { wires: { id: string; port?: number }[] }) => ({ ...p, wires: p.wires.map((w) => ({ ...w, id: map(w.id) })) });
      copy['in'] = portsOf(n, 'in').map(remap);
      copy['out'] = portsOf(n, 'out').map(remap);
    }
    const isDrawn = n.type !== 'tab' && n.type !== 'subflow' && (n.z !== undefined || n.x !== undefined || n.wires !== undefined);
    if (isDrawn) {
      const onPastedContainer = n.z !== undefined && containers.has(n.z);
      if (onPastedContainer) copy.z = map(n.z ?? '');
      else {
        copy.z = opts.z;
        if (offset) translate(copy, offset);
        placed.push(copy.id);
      }
    } else if (n.z !== undefined && containers.has(n.z)) {
      copy.z = map(n.z);
    }
    added.push(copy);
  }
  return { doc: [...doc, ...added], placed, tabs };
}

function translate(n: FlowNode, d: Point): void {
  if (typeof n.x === 'number') n.x = Math.round(n.x + d.x);
  if (typeof n.y === 'number') n.y = Math.round(n.y + d.y);
}

function pasteOffset(incoming: readonly FlowNode[], containers: Set<string>, at: Point | undefined): Point | undefined {
  if (!at) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  for (const n of incoming) {
    if (n.z !== undefined && containers.has(n.z)) continue;
    if (typeof n.x !== 'number' || typeof n.y !== 'number') continue;
    minX = Math.min(minX, n.x);
    minY = Math.min(minY, n.y);
  }
  return Number.isFinite(minX) ? { x: at.x - minX, y: at.y - minY } : undefined;
}
