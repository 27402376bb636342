import type { FlowNode } from './types.js';

/**
 * A subflow's input and output ports are not nodes in flows.json: they live in the subflow
 * definition's `in` and `out` arrays. On the canvas they are drawn as nodes with virtual ids.
 */
export interface SubflowPort {
  x?: number;
  y?: number;
  wires: { id: string; port?: number }[];
}

export type PortKind = 'in' | 'out' | 'status';

export interface VirtualPort {
  subflowId: string;
  kind: PortKind;
  index: number;
}

const SEP = '::';

export function virtualPortId(subflowId: string, kind: PortKind, index: number): string {
  return `${subflowId}${SEP}${kind}${SEP}${index}`;
}

export function parseVirtualPortId(id: string): VirtualPort | undefined {
  const parts = id.split(SEP);
  if (parts.length !== 3) return undefined;
  const [subflowId, kind, index] = parts;
  if (!subflowId || (kind !== 'in' && kind !== 'out' && kind !== 'status')) return undefined;
  const i = Number(index);
  return Number.isInteger(i) && i >= 0 ? { subflowId, kind, index: i } : undefined;
}

function asPort(value: unknown): SubflowPort | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { x?: unknown; y?: unknown; wires?: unknown };
  const wires = Array.isArray(v.wires)
    ? v.wires.filter((w): w is { id: string; port?: number } => !!w && typeof (w as { id?: unknown }).id === 'string')
    : [];
  return {
    ...(typeof v.x === 'number' ? { x: v.x } : {}),
    ...(typeof v.y === 'number' ? { y: v.y } : {}),
    wires,
  };
}

export function portsOf(def: FlowNode, kind: 'in' | 'out'): SubflowPort[] {
  const raw = def[kind];
  return Array.isArray(raw) ? raw.map(asPort).filter((p): p is SubflowPort => p !== undefined) : [];
}

export function statusPortOf(def: FlowNode): SubflowPort | undefined {
  return asPort(def['status']);
}
