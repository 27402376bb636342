import { idGenerator } from './ids.js';
import { fitWires, outputsOf } from './ports.js';
import { parseVirtualPortId, portsOf } from './subflow-ports.js';
import type { FlowDoc, FlowNode, NodeTypeInfo, Point } from './types.js';

export interface AddNodeOptions {
  type: string;
  /** Tab or subflow the node goes on. */
  z: string;
  /** Centre of the node, as Node-RED stores it. */
  at: Point;
  info?: NodeTypeInfo | undefined;
  id?: string;
  /** For subflow instances: the definition, so the wires match its outputs. */
  outputs?: number;
}

/** Adds a node with its type's defaults; returns the new document and the new id. */
export function addNode(doc: FlowDoc, opts: AddNodeOptions): { doc: FlowDoc; id: string } {
  const id = opts.id ?? idGenerator(doc.map((n) => n.id))();
  const defaults = structuredClone(opts.info?.defaults ?? {});
  const isConfig = opts.info?.isConfig === true;
  const base: FlowNode = { id, type: opts.type, name: '', ...defaults };
  if (isConfig) return { doc: [...doc, base], id };
  const node: FlowNode = { ...base, id, type: opts.type, z: opts.z, x: Math.round(opts.at.x), y: Math.round(opts.at.y) };
  const outputs = opts.outputs ?? outputsOf(node, opts.info, doc);
  node.wires = fitWires({ ...node, wires: [] }, outputs);
  return { doc: [...doc, node], id };
}

/** Adds a config node (no tab, no position); Node-RED gives it the defaults of its type. */
export function addConfigNode(doc: FlowDoc, info: NodeTypeInfo, props: Record<string, unknown> = {}): { doc: FlowDoc; id: string } {
  const id = idGenerator(doc.map((n) => n.id))();
  const node: FlowNode = { id, type: info.type, name: '', ...structuredClone(info.defaults ?? {}), ...props };
  return { doc: [...doc, node], id };
}

/**
 * Sets properties of one node. Keys set to `undefined` are removed. When the type derives its
 * outputs from properties (switch rules, function outputs) the wires follow the new count.
 */
export function updateNode(
  doc: FlowDoc,
  id: string,
  patch: Record<string, unknown>,
  info?: NodeTypeInfo,
): FlowDoc {
  return doc.map((n) => {
    if (n.id !== id) return n;
    const next: FlowNode = { ...n };
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'id') continue;
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    if (next.wires !== undefined && info && info.outputs === null) {
      next.wires = fitWires(next, outputsOf(next, info, doc));
    }
    return next;
  });
}

/** Moves nodes to new centres (Node-RED x/y); subflow port ids move the definition's ports. */
export function moveNodes(doc: FlowDoc, moves: ReadonlyMap<string, Point>): FlowDoc {
  if (moves.size === 0) return doc;
  const portMoves = new Map<string, { kind: 'in' | 'out' | 'status'; index: number; to: Point }[]>();
  for (const [id, to] of moves) {
    const port = parseVirtualPortId(id);
    if (!port) continue;
    const list = portMoves.get(port.subflowId) ?? [];
    list.push({ kind: port.kind, index: port.index, to });
    portMoves.set(port.subflowId, list);
  }
  return doc.map((n) => {
    const to = moves.get(n.id);
    let next = n;
    if (to && (n.x !== Math.round(to.x) || n.y !== Math.round(to.y))) {
      next = { ...n, x: Math.round(to.x), y: Math.round(to.y) };
    }
    const ports = portMoves.get(n.id);
    if (ports) {
      next = { ...next };
      for (const p of ports) {
        const at = { x: Math.round(p.to.x), y: Math.round(p.to.y) };
        if (p.kind === 'status') {
          next['status'] = { ...(next['status'] as object), ...at };
        } else {
          const list = portsOf(next, p.kind).map((port, i) => (i === p.index ? { ...port, ...at } : port));
          next[p.kind] = list;
        }
      }
    }
    return next;
  });
}

/** Ids to delete: the given ones plus the members of deleted groups, recursively. */
export function expandGroups(doc: FlowDoc, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of doc) {
      if (!out.has(n.id) && n.g !== undefined && out.has(n.g)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Deletes nodes (and the contents of deleted groups), every wire to them, their place in groups
 * and in subflow ports. A deleted tab or subflow takes its nodes with it.
 */
export function deleteNodes(doc: FlowDoc, ids: Iterable<string>): FlowDoc {
  const gone = expandGroups(doc, ids);
  for (const n of doc) if (n.z !== undefined && gone.has(n.z)) gone.add(n.id);
  if (gone.size === 0) return doc;
  const result: FlowNode[] = [];
  for (const n of doc) {
    if (gone.has(n.id)) continue;
    let next = n;
    if (n.wires?.some((w) => w.some((t) => gone.has(t)))) {
      next = { ...next, wires: n.wires.map((w) => w.filter((t) => !gone.has(t))) };
    }
    if (n.type === 'group' && Array.isArray(n['nodes']) && (n['nodes'] as unknown[]).some((m) => gone.has(String(m)))) {
      next = { ...next, nodes: (n['nodes'] as unknown[]).filter((m) => !gone.has(String(m))) };
    }
    if (n.type === 'subflow') next = pruneSubflowPorts(next, gone);
    result.push(next);
  }
  return result;
}

function pruneSubflowPorts(def: FlowNode, gone: Set<string>): FlowNode {
  if (!JSON.stringify([def['in'], def['out'], def['status']]).match(/"id":"([^"]+)"/g)?.some((m) => gone.has(m.slice(6, -1)))) {
    return def;
  }
  const prune = (p: { wires: { id: string }[] }) => ({ ...p, wires: p.wires.filter((w) => !gone.has(w.id)) });
  const status = def['status'] as { wires?: { id: string }[] } | undefined;
  return {
    ...def,
    in: portsOf(def, 'in').map(prune),
    out: portsOf(def, 'out').map(prune),
    ...(status ? { status: { ...status, wires: (status.wires ?? []).filter((w) => !gone.has(w.id)) } } : {}),
  };
}

/** Enables or disables nodes (`d: true`), as Node-RED's Ctrl+Shift+D-free "disable" action. */
export function setDisabled(doc: FlowDoc, ids: ReadonlySet<string>, disabled: boolean): FlowDoc {
  return doc.map((n) => {
    if (!ids.has(n.id)) return n;
    const next = { ...n };
    if (disabled) next.d = true;
    else delete next.d;
    return next;
  });
}
