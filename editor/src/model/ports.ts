import type { Catalog, FlowDoc, FlowNode, NodeTypeInfo } from './types.js';

/** The subflow definition a `subflow:<id>` instance uses, if any. */
export function subflowDefOf(doc: FlowDoc, node: FlowNode): FlowNode | undefined {
  if (!node.type.startsWith('subflow:')) return undefined;
  const id = node.type.slice('subflow:'.length);
  return doc.find((n) => n.id === id && n.type === 'subflow');
}

const portCount = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/** Number of input ports (0 or 1). */
export function inputsOf(node: FlowNode, info: NodeTypeInfo | undefined, doc?: FlowDoc): number {
  if (node.type.startsWith('subflow:')) {
    const def = doc ? subflowDefOf(doc, node) : undefined;
    return def ? Math.min(1, portCount(def['in'])) : 1;
  }
  if (info) return info.inputs;
  return 1;
}

/**
 * Number of output ports. A catalog entry with `outputs: null` derives it from the node's own
 * properties, as Node-RED's editor does: an `outputs` number (function), else one per rule (switch).
 */
export function outputsOf(node: FlowNode, info: NodeTypeInfo | undefined, doc?: FlowDoc): number {
  if (node.type.startsWith('subflow:')) {
    const def = doc ? subflowDefOf(doc, node) : undefined;
    return def ? portCount(def['out']) : (node.wires?.length ?? 0);
  }
  if (info && info.outputs !== null) return info.outputs;
  const own = node['outputs'];
  if (typeof own === 'number' && Number.isInteger(own) && own >= 0) return own;
  if (typeof own === 'string' && /^\d+$/.test(own)) return Number(own);
  if (Array.isArray(node['rules'])) return node['rules'].length;
  if (info) return node.wires?.length ?? 1;
  // Unknown type: keep whatever wiring it came with.
  return node.wires?.length ?? 1;
}

/** Wires resized to the node's current output count: extra ports dropped, missing ones empty. */
export function fitWires(node: FlowNode, outputs: number): string[][] {
  const wires = node.wires ?? [];
  return Array.from({ length: outputs }, (_, i) => wires[i] ?? []);
}

export function typeInfo(catalog: Catalog, node: FlowNode): NodeTypeInfo | undefined {
  return catalog.get(node.type);
}
