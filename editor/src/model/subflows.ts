import { expandGroups, deleteNodes } from './edit.js';
import { idGenerator } from './ids.js';
import { portsOf, type SubflowPort } from './subflow-ports.js';
import type { FlowDoc, FlowNode, NodeTypeInfo } from './types.js';

export interface CreateSubflowResult {
  doc: FlowDoc;
  subflowId: string;
  instanceId: string;
}

/**
 * Turns a selection on tab `z` into a subflow, as Node-RED's "selection to subflow": the nodes move
 * into a new definition; wires entering the selection go to its one input, each output port that
 * leaves it becomes an output; an instance takes the selection's place, wired as the nodes were.
 */
export function createSubflowFromSelection(doc: FlowDoc, ids: Iterable<string>, z: string): CreateSubflowResult {
  const chosen = expandGroups(doc, ids);
  const inner = doc.filter((n) => chosen.has(n.id) && n.z === z);
  const innerIds = new Set(inner.map((n) => n.id));
  if (inner.length === 0) return { doc, subflowId: '', instanceId: '' };
  const nextId = idGenerator(doc.map((n) => n.id));
  const subflowId = nextId();
  const instanceId = nextId();

  // Wires crossing the boundary.
  const inputTargets = new Set<string>();
  const outsideSources = new Set<string>();
  const outputs: { source: string; port: number; targets: string[] }[] = [];
  for (const n of doc) {
    if (n.z !== z || !n.wires) continue;
    n.wires.forEach((targets, port) => {
      if (innerIds.has(n.id)) {
        const outside = targets.filter((t) => !innerIds.has(t));
        if (outside.length > 0) outputs.push({ source: n.id, port, targets: outside });
      } else {
        for (const t of targets) {
          if (!innerIds.has(t)) continue;
          inputTargets.add(t);
          outsideSources.add(n.id);
        }
      }
    });
  }

  const xs = inner.map((n) => n.x ?? 0);
  const ys = inner.map((n) => n.y ?? 0);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const maxX = Math.max(...xs);
  const shiftX = 200 - minX;
  const shiftY = 80 - minY;
  const midY = Math.round((Math.min(...ys) + Math.max(...ys)) / 2 + shiftY);
  const inPorts: SubflowPort[] = inputTargets.size > 0 ? [{ x: 60, y: midY, wires: [...inputTargets].map((id) => ({ id })) }] : [];
  const outPorts: SubflowPort[] = outputs.map((o, i) => ({
    x: Math.round(maxX + shiftX + 160),
    y: 80 + i * 60,
    wires: [{ id: o.source, port: o.port }],
  }));
  const count = doc.filter((n) => n.type === 'subflow').length;
  const def: FlowNode = {
    id: subflowId,
    type: 'subflow',
    name: `Subflow ${count + 1}`,
    info: '',
    category: '',
    in: inPorts,
    out: outPorts,
    env: [],
    color: '#DDAA99',
  };
  const instance: FlowNode = {
    id: instanceId,
    type: `subflow:${subflowId}`,
    z,
    name: '',
    x: Math.round(xs.reduce((a, b) => a + b, 0) / xs.length),
    y: Math.round(ys.reduce((a, b) => a + b, 0) / ys.length),
    wires: outputs.map((o) => o.targets),
  };

  const next: FlowNode[] = [];
  for (const n of doc) {
    if (innerIds.has(n.id)) {
      const moved: FlowNode = { ...n, z: subflowId };
      if (typeof n.x === 'number') moved.x = n.x + shiftX;
      if (typeof n.y === 'number') moved.y = n.y + shiftY;
      if (n.wires) moved.wires = n.wires.map((w) => w.filter((t) => innerIds.has(t)));
      if (n.g !== undefined && !innerIds.has(n.g)) delete moved.g;
      next.push(moved);
    } else if (outsideSources.has(n.id)) {
      next.push({ ...n, wires: (n.wires ?? []).map((w) => dedupe(w.map((t) => (innerIds.has(t) ? instanceId : t)))) });
    } else if (n.type === 'group' && Array.isArray(n['nodes']) && (n['nodes'] as unknown[]).some((m) => innerIds.has(String(m)))) {
      next.push({ ...n, nodes: (n['nodes'] as unknown[]).filter((m) => !innerIds.has(String(m))) });
    } else {
      next.push(n);
    }
  }
  // The definition goes before its contents, as Node-RED writes it.
  const firstInner = next.findIndex((n) => innerIds.has(n.id));
  next.splice(firstInner < 0 ? next.length : firstInner, 0, def);
  next.push(instance);
  return { doc: next, subflowId, instanceId };
}

const dedupe = (list: string[]): string[] => [...new Set(list)];

/** Sets how many inputs (0 or 1) and outputs a subflow has; instances' wires follow. */
export function setSubflowPorts(doc: FlowDoc, subflowId: string, inputs: number, outputs: number): FlowDoc {
  return doc.map((n) => {
    if (n.id === subflowId && n.type === 'subflow') {
      const ins = portsOf(n, 'in');
      const outs = portsOf(n, 'out');
      const lastY = outs[outs.length - 1]?.y ?? 20;
      return {
        ...n,
        in: inputs > 0 ? [ins[0] ?? { x: 60, y: 80, wires: [] }] : [],
        out: Array.from({ length: outputs }, (_, i) => outs[i] ?? { x: 500, y: lastY + 60 * (i - outs.length + 1), wires: [] }),
      };
    }
    if (n.type === `subflow:${subflowId}`) {
      const wires = Array.from({ length: outputs }, (_, i) => n.wires?.[i] ?? []);
      return { ...n, wires };
    }
    return n;
  });
}

/** Deletes a subflow definition, its contents and every instance of it. */
export function deleteSubflow(doc: FlowDoc, subflowId: string): FlowDoc {
  const instances = doc.filter((n) => n.type === `subflow:${subflowId}`).map((n) => n.id);
  return deleteNodes(doc, [subflowId, ...instances]);
}

/** The palette entry of a subflow definition. */
export function subflowTypeInfo(def: FlowNode): NodeTypeInfo {
  const name = typeof def.name === 'string' && def.name !== '' ? def.name : def.id;
  return {
    type: `subflow:${def.id}`,
    category: 'subflows',
    inputs: Math.min(1, portsOf(def, 'in').length),
    outputs: portsOf(def, 'out').length,
    label: name,
    paletteLabel: name,
    color: typeof def['color'] === 'string' ? def['color'] : '#DDAA99',
    icon: 'subflow',
    help: typeof def['info'] === 'string' ? def['info'] : '',
    schema: { type: 'object', properties: { name: { type: 'string' } } },
    defaults: {},
  };
}
