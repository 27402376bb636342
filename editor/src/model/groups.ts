import { boundsOf, type Rect } from './geometry.js';
import { idGenerator } from './ids.js';
import type { FlowDoc, FlowNode } from './types.js';

/** How big a node is drawn, as a rectangle around its top-left corner. */
export type RectOf = (n: FlowNode) => Rect | undefined;

export const GROUP_PADDING = 20;

export function membersOf(group: FlowNode): string[] {
  const raw = group['nodes'];
  return Array.isArray(raw) ? raw.filter((m): m is string => typeof m === 'string') : [];
}

/**
 * Puts nodes (all on one tab) into a new group. Nodes already in a group that is itself being
 * grouped stay where they are, so nested groups keep their shape.
 */
export function groupNodes(doc: FlowDoc, ids: Iterable<string>, z: string, rectOf: RectOf): { doc: FlowDoc; id: string } {
  const wanted = new Set(ids);
  const members = doc.filter((n) => wanted.has(n.id) && n.z === z && !(n.g !== undefined && wanted.has(n.g)));
  if (members.length === 0) return { doc, id: '' };
  const id = idGenerator(doc.map((n) => n.id))();
  const memberIds = new Set(members.map((m) => m.id));
  // The new group takes the place of its members in their old group, if they shared one.
  const parents = new Set(members.map((m) => m.g));
  const parent = parents.size === 1 ? [...parents][0] : undefined;
  const rects = members.map(rectOf).filter((r): r is Rect => r !== undefined);
  const box = boundsOf(rects, GROUP_PADDING) ?? { x: 0, y: 0, w: 0, h: 0 };
  const group: FlowNode = {
    id,
    type: 'group',
    z,
    name: '',
    style: { label: true },
    nodes: [...memberIds],
    x: Math.round(box.x),
    y: Math.round(box.y),
    w: Math.round(box.w),
    h: Math.round(box.h),
    ...(parent !== undefined ? { g: parent } : {}),
  };
  const next = doc.map((n) => {
    if (memberIds.has(n.id)) return { ...n, g: id };
    if (n.type === 'group' && membersOf(n).some((m) => memberIds.has(m))) {
      const kept = membersOf(n).filter((m) => !memberIds.has(m));
      return { ...n, nodes: n.id === parent ? [...kept, id] : kept };
    }
    return n;
  });
  return { doc: [...next, group], id };
}

/** Removes a group; its members move up to the group's own parent, if any. */
export function ungroup(doc: FlowDoc, groupId: string): FlowDoc {
  const group = doc.find((n) => n.id === groupId && n.type === 'group');
  if (!group) return doc;
  const members = new Set(membersOf(group));
  const parent = group.g;
  return doc
    .filter((n) => n.id !== groupId)
    .map((n) => {
      if (members.has(n.id)) {
        const next = { ...n };
        if (parent !== undefined) next.g = parent;
        else delete next.g;
        return next;
      }
      if (n.type === 'group' && n.id === parent) {
        return { ...n, nodes: [...membersOf(n).filter((m) => m !== groupId), ...members] };
      }
      return n;
    });
}

/** Recomputes a group's box from its members (after they moved), innermost groups first. */
export function fitGroups(doc: FlowDoc, rectOf: RectOf): FlowDoc {
  const groups = doc.filter((n) => n.type === 'group');
  if (groups.length === 0) return doc;
  const byId = new Map(doc.map((n) => [n.id, n]));
  const boxes = new Map<string, Rect>();
  const visit = (g: FlowNode, depth: number): Rect | undefined => {
    if (boxes.has(g.id)) return boxes.get(g.id);
    if (depth > 32) return undefined;
    const rects: Rect[] = [];
    for (const m of membersOf(g)) {
      const member = byId.get(m);
      if (!member) continue;
      const r = member.type === 'group' ? visit(member, depth + 1) : rectOf(member);
      if (r) rects.push(r);
    }
    const box = boundsOf(rects, GROUP_PADDING);
    if (box) boxes.set(g.id, box);
    return box;
  };
  groups.forEach((g) => visit(g, 0));
  return doc.map((n) => {
    const box = boxes.get(n.id);
    if (!box) return n;
    const rounded = { x: Math.round(box.x), y: Math.round(box.y), w: Math.round(box.w), h: Math.round(box.h) };
    return n.x === rounded.x && n.y === rounded.y && n['w'] === rounded.w && n['h'] === rounded.h ? n : { ...n, ...rounded };
  });
}
