import { parseVirtualPortId, portsOf } from './subflow-ports.js';
import type { FlowDoc, FlowNode } from './types.js';

/** One wire: from output `port` of `source` to the input of `target`. */
export interface Wire {
  source: string;
  port: number;
  target: string;
}

export const wireId = (w: Wire): string => `${w.source}|${w.port}|${w.target}`;

export function parseWireId(id: string): Wire | undefined {
  const parts = id.split('|');
  if (parts.length !== 3) return undefined;
  const [source, port, target] = parts;
  const p = Number(port);
  return source && target && Number.isInteger(p) ? { source, port: p, target } : undefined;
}

/** Every wire of a document between real nodes. */
export function wiresOf(nodes: Iterable<FlowNode>): Wire[] {
  const out: Wire[] = [];
  for (const n of nodes) {
    (n.wires ?? []).forEach((targets, port) => {
      for (const target of targets) out.push({ source: n.id, port, target });
    });
  }
  return out;
}

/** Wires from and to a subflow definition's virtual port nodes. */
export function subflowPortWires(def: FlowNode): Wire[] {
  const out: Wire[] = [];
  portsOf(def, 'in').forEach((p, i) => {
    for (const w of p.wires) out.push({ source: `${def.id}::in::${i}`, port: 0, target: w.id });
  });
  portsOf(def, 'out').forEach((p, i) => {
    for (const w of p.wires) out.push({ source: w.id, port: w.port ?? 0, target: `${def.id}::out::${i}` });
  });
  return out;
}

function replaceNode(doc: FlowDoc, id: string, update: (n: FlowNode) => FlowNode): FlowDoc {
  let changed = false;
  const next = doc.map((n) => {
    if (n.id !== id) return n;
    const u = update(n);
    if (u !== n) changed = true;
    return u;
  });
  return changed ? next : doc;
}

/** Adds a wire; a wire that exists already, or a node wired to itself, leaves the document as it was. */
export function connect(doc: FlowDoc, wire: Wire): FlowDoc {
  if (wire.source === wire.target) return doc;
  const fromPort = parseVirtualPortId(wire.source);
  if (fromPort?.kind === 'in') {
    return replaceNode(doc, fromPort.subflowId, (def) => {
      const ports = portsOf(def, 'in');
      const p = ports[fromPort.index];
      if (!p || p.wires.some((w) => w.id === wire.target)) return def;
      ports[fromPort.index] = { ...p, wires: [...p.wires, { id: wire.target }] };
      return { ...def, in: ports };
    });
  }
  const toPort = parseVirtualPortId(wire.target);
  if (toPort && toPort.kind !== 'in') {
    return replaceNode(doc, toPort.subflowId, (def) => {
      const key = toPort.kind === 'status' ? 'status' : 'out';
      const ports = key === 'status' ? [def['status'] as { wires?: { id: string; port?: number }[] }] : portsOf(def, 'out');
      const p = ports[toPort.index];
      if (!p) return def;
      const wires = p.wires ?? [];
      if (wires.some((w) => w.id === wire.source && (w.port ?? 0) === wire.port)) return def;
      const updated = { ...p, wires: [...wires, { id: wire.source, port: wire.port }] };
      if (key === 'status') return { ...def, status: updated };
      ports[toPort.index] = updated;
      return { ...def, out: ports };
    });
  }
  return replaceNode(doc, wire.source, (n) => {
    const wires = (n.wires ?? []).map((w) => [...w]);
    while (wires.length <= wire.port) wires.push([]);
    const slot = wires[wire.port] ?? [];
    if (slot.includes(wire.target)) return n;
    slot.push(wire.target);
    wires[wire.port] = slot;
    return { ...n, wires };
  });
}

export function disconnect(doc: FlowDoc, wire: Wire): FlowDoc {
  const fromPort = parseVirtualPortId(wire.source);
  if (fromPort?.kind === 'in') {
    return replaceNode(doc, fromPort.subflowId, (def) => {
      const ports = portsOf(def, 'in').map((p, i) =>
        i === fromPort.index ? { ...p, wires: p.wires.filter((w) => w.id !== wire.target) } : p,
      );
      return { ...def, in: ports };
    });
  }
  const toPort = parseVirtualPortId(wire.target);
  if (toPort && toPort.kind !== 'in') {
    const keep = (w: { id: string; port?: number }): boolean => !(w.id === wire.source && (w.port ?? 0) === wire.port);
    return replaceNode(doc, toPort.subflowId, (def) => {
      if (toPort.kind === 'status') {
        const status = def['status'] as { wires?: { id: string; port?: number }[] } | undefined;
        return status ? { ...def, status: { ...status, wires: (status.wires ?? []).filter(keep) } } : def;
      }
      const ports = portsOf(def, 'out').map((p, i) => (i === toPort.index ? { ...p, wires: p.wires.filter(keep) } : p));
      return { ...def, out: ports };
    });
  }
  return replaceNode(doc, wire.source, (n) => {
    const slot = n.wires?.[wire.port];
    if (!slot || !slot.includes(wire.target)) return n;
    const wires = (n.wires ?? []).map((w, i) => (i === wire.port ? w.filter((t) => t !== wire.target) : w));
    return { ...n, wires };
  });
}
