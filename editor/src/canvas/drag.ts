import type { NodeChange } from '@xyflow/react';
import { centreFromTopLeft, membersOf, type FlowDoc, type FlowNode, type Point } from '../model/index.js';
import { PORT_NODE_SIZE, type FlowRFNode } from './projection.js';

/** Every node a group drags along: members, members of member groups. */
export function groupMembersDeep(doc: FlowDoc, groupId: string): string[] {
  const byId = new Map(doc.map((n) => [n.id, n]));
  const out: string[] = [];
  const visit = (g: FlowNode, depth: number): void => {
    if (depth > 32) return;
    for (const m of membersOf(g)) {
      out.push(m);
      const member = byId.get(m);
      if (member?.type === 'group') visit(member, depth + 1);
    }
  };
  const group = byId.get(groupId);
  if (group) visit(group, 0);
  return out;
}

export interface DragUpdate {
  /** Positions while dragging; null when nothing is being dragged. */
  overlay: Map<string, Point> | null;
  /** Set when the drag ended: the final top-left positions to write into the document. */
  commit: Map<string, Point> | null;
}

/**
 * Turns React Flow's position changes into the drag overlay (and, at the end, the positions to
 * commit). A dragged group carries its members by the same offset.
 */
export function applyPositionChanges(
  changes: NodeChange<FlowRFNode>[],
  overlay: ReadonlyMap<string, Point>,
  start: ReadonlyMap<string, Point>,
  doc: FlowDoc,
): DragUpdate {
  let next: Map<string, Point> | null = null;
  let ended = false;
  for (const c of changes) {
    if (c.type !== 'position' || !c.position) continue;
    next ??= new Map(overlay);
    next.set(c.id, c.position);
    if (c.dragging === false) ended = true;
    const origin = start.get(c.id);
    if (!origin) continue;
    const dx = c.position.x - origin.x;
    const dy = c.position.y - origin.y;
    for (const m of doc.some((n) => n.id === c.id && n.type === 'group') ? groupMembersDeep(doc, c.id) : []) {
      const from = start.get(m);
      if (from && !changes.some((o) => 'id' in o && o.id === m)) next.set(m, { x: from.x + dx, y: from.y + dy });
    }
  }
  if (!next) return { overlay: null, commit: null };
  return ended ? { overlay: null, commit: next } : { overlay: next, commit: null };
}

/** Top-left positions from the canvas into Node-RED's coordinates (centres; groups keep top-left). */
export function toDocPositions(positions: ReadonlyMap<string, Point>, nodes: ReadonlyMap<string, FlowRFNode>): Map<string, Point> {
  const out = new Map<string, Point>();
  for (const [id, pos] of positions) {
    const n = nodes.get(id);
    if (!n) continue;
    if (n.type === 'group') out.set(id, { x: Math.round(pos.x), y: Math.round(pos.y) });
    else if (n.type === 'port') out.set(id, centreFromTopLeft(pos, { width: PORT_NODE_SIZE, height: PORT_NODE_SIZE }));
    else out.set(id, centreFromTopLeft(pos, { width: n.width ?? 0, height: n.height ?? 0 }));
  }
  return out;
}
