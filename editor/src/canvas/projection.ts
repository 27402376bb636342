import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import {
  inputsOf,
  nodeLabel,
  nodeSize,
  outputPortY,
  outputsOf,
  portsOf,
  subflowPortWires,
  topLeft,
  virtualPortId,
  wireId,
  wiresOf,
  subflowTypeInfo,
  PORT_SIZE,
  type Catalog,
  type FlowDoc,
  type FlowNode,
  type MeasureText,
  type NodeProblem,
  type NodeTypeInfo,
  type Point,
} from '../model/index.js';

/** What a flow node component draws; one object per node, rebuilt only when its inputs change. */
export interface FlowNodeData extends Record<string, unknown> {
  node: FlowNode;
  info: NodeTypeInfo | undefined;
  label: string;
  inputs: number;
  outputs: number;
  width: number;
  height: number;
  problems: NodeProblem[] | undefined;
  changed: boolean;
}

export interface GroupData extends Record<string, unknown> {
  node: FlowNode;
  label: string;
}

export interface PortData extends Record<string, unknown> {
  kind: 'in' | 'out';
  index: number;
}

export type FlowRFNode = Node<FlowNodeData, 'flow'> | Node<GroupData, 'group'> | Node<PortData, 'port'>;

export interface ProjectionInput {
  doc: FlowDoc;
  z: string;
  catalog: Catalog;
  selection: ReadonlySet<string>;
  problems: ReadonlyMap<string, NodeProblem[]>;
  changed: ReadonlySet<string>;
  /** Top-left positions of nodes being dragged, ahead of the document. */
  overlay: ReadonlyMap<string, Point>;
  measure: MeasureText;
}

interface CacheEntry {
  source: FlowNode;
  info: NodeTypeInfo | undefined;
  selected: boolean;
  problems: NodeProblem[] | undefined;
  changed: boolean;
  pos: Point | undefined;
  extra: unknown;
  rf: FlowRFNode;
}

/**
 * Projects the document onto React Flow nodes. Entries whose inputs did not change keep their
 * object identity, so React Flow and the memoised node components skip them.
 */
export class NodeProjection {
  private cache = new Map<string, CacheEntry>();
  /** A subflow instance's type info, built once per version of its definition (kept by identity). */
  private subflowInfos = new WeakMap<FlowNode, NodeTypeInfo>();

  private subflowInfo(def: FlowNode | undefined): NodeTypeInfo | undefined {
    if (!def || def.type !== 'subflow') return undefined;
    let info = this.subflowInfos.get(def);
    if (!info) {
      info = subflowTypeInfo(def);
      this.subflowInfos.set(def, info);
    }
    return info;
  }

  project(input: ProjectionInput): FlowRFNode[] {
    const { doc, z, catalog, selection, problems, changed, overlay } = input;
    const out: FlowRFNode[] = [];
    const seen = new Set<string>();
    const groups: FlowRFNode[] = [];
    for (const n of doc) {
      if (n.z !== z || n.type === 'tab' || n.type === 'subflow') continue;
      // A subflow instance depends on its definition (ports, name, colour).
      const extra = n.type.startsWith('subflow:') ? doc.find((d) => d.id === n.type.slice(8)) : undefined;
      const info = catalog.get(n.type) ?? this.subflowInfo(extra);
      if (info?.isConfig) continue;
      const entry = this.cache.get(n.id);
      const sel = selection.has(n.id);
      const prob = problems.get(n.id);
      const chg = changed.has(n.id);
      const pos = overlay.get(n.id);
      seen.add(n.id);
      if (
        entry &&
        entry.source === n &&
        entry.info === info &&
        entry.selected === sel &&
        entry.problems === prob &&
        entry.changed === chg &&
        entry.pos === pos &&
        entry.extra === extra
      ) {
        (n.type === 'group' ? groups : out).push(entry.rf);
        continue;
      }
      const rf = n.type === 'group' ? groupNode(n, sel, pos) : flowNode(n, info, input, { sel, prob, chg, pos });
      this.cache.set(n.id, { source: n, info, selected: sel, problems: prob, changed: chg, pos, extra, rf });
      (n.type === 'group' ? groups : out).push(rf);
    }
    const def = doc.find((n) => n.id === z && n.type === 'subflow');
    if (def) out.push(...subflowPortNodes(def, selection, overlay));
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    // Groups first so they are drawn under their nodes.
    return [...groups, ...out];
  }
}

function handlesFor(inputs: number, outputs: number, width: number, height: number): NodeHandle[] {
  const half = PORT_SIZE / 2;
  const handles: NodeHandle[] = [];
  if (inputs > 0) {
    handles.push({ id: 'in', type: 'target', position: Position.Left, x: -half, y: height / 2 - half, width: PORT_SIZE, height: PORT_SIZE });
  }
  for (let i = 0; i < outputs; i++) {
    handles.push({
      id: `out-${i}`,
      type: 'source',
      position: Position.Right,
      x: width - half,
      y: outputPortY(i, outputs, height) - half,
      width: PORT_SIZE,
      height: PORT_SIZE,
    });
  }
  return handles;
}

function flowNode(
  n: FlowNode,
  info: NodeTypeInfo | undefined,
  input: ProjectionInput,
  state: { sel: boolean; prob: NodeProblem[] | undefined; chg: boolean; pos: Point | undefined },
): FlowRFNode {
  const inputs = inputsOf(n, info, input.doc);
  const outputs = outputsOf(n, info, input.doc);
  const label = nodeLabel(n, info, input.doc);
  const size = nodeSize(label, inputs, outputs, input.measure);
  const position = state.pos ?? topLeft(n, size);
  return {
    id: n.id,
    type: 'flow',
    position,
    width: size.width,
    height: size.height,
    measured: { width: size.width, height: size.height },
    handles: handlesFor(inputs, outputs, size.width, size.height),
    selected: state.sel,
    data: { node: n, info, label, inputs, outputs, width: size.width, height: size.height, problems: state.prob, changed: state.chg },
  };
}

function groupNode(n: FlowNode, sel: boolean, pos: Point | undefined): FlowRFNode {
  const w = typeof n['w'] === 'number' ? n['w'] : 200;
  const h = typeof n['h'] === 'number' ? n['h'] : 100;
  return {
    id: n.id,
    type: 'group',
    position: pos ?? { x: n.x ?? 0, y: n.y ?? 0 },
    width: w,
    height: h,
    measured: { width: w, height: h },
    zIndex: -1,
    selected: sel,
    data: { node: n, label: typeof n.name === 'string' ? n.name : '' },
  };
}

export const PORT_NODE_SIZE = 40;

function subflowPortNodes(def: FlowNode, selection: ReadonlySet<string>, overlay: ReadonlyMap<string, Point>): FlowRFNode[] {
  const nodes: FlowRFNode[] = [];
  const half = PORT_NODE_SIZE / 2;
  (['in', 'out'] as const).forEach((kind) => {
    portsOf(def, kind).forEach((p, index) => {
      const id = virtualPortId(def.id, kind, index);
      const handle: NodeHandle =
        kind === 'in'
          ? { id: 'out-0', type: 'source', position: Position.Right, x: PORT_NODE_SIZE - 5, y: half - 5, width: 10, height: 10 }
          : { id: 'in', type: 'target', position: Position.Left, x: -5, y: half - 5, width: 10, height: 10 };
      nodes.push({
        id,
        type: 'port',
        position: overlay.get(id) ?? { x: (p.x ?? 60) - half, y: (p.y ?? 60) - half },
        width: PORT_NODE_SIZE,
        height: PORT_NODE_SIZE,
        measured: { width: PORT_NODE_SIZE, height: PORT_NODE_SIZE },
        handles: [handle],
        selected: selection.has(id),
        deletable: false,
        data: { kind, index },
      });
    });
  });
  return nodes;
}

/** Edges for the wires on one tab, reusing unchanged edge objects. */
export class EdgeProjection {
  private cache = new Map<string, Edge>();

  project(doc: FlowDoc, z: string, selection: ReadonlySet<string>, disabled: ReadonlySet<string>): Edge[] {
    const onTab = doc.filter((n) => n.z === z);
    const ids = new Set(onTab.map((n) => n.id));
    const wires = wiresOf(onTab).filter((w) => ids.has(w.target));
    const def = doc.find((n) => n.id === z && n.type === 'subflow');
    if (def) wires.push(...subflowPortWires(def));
    const next = new Map<string, Edge>();
    const out: Edge[] = [];
    for (const w of wires) {
      const id = wireId(w);
      const selected = selection.has(id);
      const off = disabled.has(w.source) || disabled.has(w.target);
      const prev = this.cache.get(id);
      const edge =
        prev && prev.selected === selected && (prev.className === 'wire-disabled') === off
          ? prev
          : {
              id,
              source: w.source,
              sourceHandle: `out-${w.port}`,
              target: w.target,
              targetHandle: 'in',
              selected,
              ...(off ? { className: 'wire-disabled' } : {}),
            };
      next.set(id, edge);
      out.push(edge);
    }
    this.cache = next;
    return out;
  }
}
