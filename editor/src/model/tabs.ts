import { deleteNodes } from './edit.js';
import { idGenerator } from './ids.js';
import type { FlowDoc, FlowNode } from './types.js';

export function addTab(doc: FlowDoc, label?: string): { doc: FlowDoc; id: string } {
  const id = idGenerator(doc.map((n) => n.id))();
  const count = doc.filter((n) => n.type === 'tab').length;
  const tab: FlowNode = { id, type: 'tab', label: label ?? `Flow ${count + 1}`, disabled: false, info: '', env: [] };
  // Node-RED keeps tabs ahead of the nodes in flows.json; a new tab goes after the last one.
  const lastTab = doc.reduce((at, n, i) => (n.type === 'tab' ? i : at), -1);
  const next = [...doc];
  next.splice(lastTab + 1, 0, tab);
  return { doc: next, id };
}

export function renameTab(doc: FlowDoc, id: string, label: string): FlowDoc {
  return doc.map((n) => (n.id === id && n.type === 'tab' ? { ...n, label } : n));
}

export function setTabDisabled(doc: FlowDoc, id: string, disabled: boolean): FlowDoc {
  return doc.map((n) => (n.id === id && n.type === 'tab' ? { ...n, disabled } : n));
}

/** Moves a tab to position `toIndex` among the tabs; the order of tabs in flows.json is their order. */
export function moveTab(doc: FlowDoc, id: string, toIndex: number): FlowDoc {
  const tabs = doc.filter((n) => n.type === 'tab');
  const from = tabs.findIndex((t) => t.id === id);
  if (from < 0) return doc;
  const order = tabs.filter((t) => t.id !== id);
  const target = Math.max(0, Math.min(order.length, toIndex));
  order.splice(target, 0, tabs[from] as FlowNode);
  if (order.every((t, i) => t === tabs[i])) return doc;
  let k = 0;
  return doc.map((n) => (n.type === 'tab' ? (order[k++] as FlowNode) : n));
}

/** Deletes a tab and everything on it. */
export function deleteTab(doc: FlowDoc, id: string): FlowDoc {
  return deleteNodes(doc, [id]);
}
