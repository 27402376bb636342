import type { Catalog, FlowDoc, FlowNode, NodeTypeInfo } from './types.js';

export const isTab = (n: FlowNode): boolean => n.type === 'tab';
export const isSubflowDef = (n: FlowNode): boolean => n.type === 'subflow';
export const isGroup = (n: FlowNode): boolean => n.type === 'group';
/** Tabs and subflow definitions: the containers a node's `z` points at. */
export const isContainer = (n: FlowNode): boolean => n.type === 'tab' || n.type === 'subflow';

export function tabsOf(doc: FlowDoc): FlowNode[] {
  return doc.filter(isTab);
}

export function subflowsOf(doc: FlowDoc): FlowNode[] {
  return doc.filter(isSubflowDef);
}

export function byId(doc: FlowDoc): Map<string, FlowNode> {
  return new Map(doc.map((n) => [n.id, n]));
}

/** The nodes drawn on one tab or subflow (groups included), in document order. */
export function nodesOn(doc: FlowDoc, z: string): FlowNode[] {
  return doc.filter((n) => n.z === z && !isContainer(n));
}

/**
 * Config nodes: a catalog entry marked `isConfig`, or an unknown type that lives outside every
 * flow (Node-RED writes config nodes without `z`, or with the `z` of the subflow they belong to).
 */
export function isConfigNode(n: FlowNode, catalog?: Catalog): boolean {
  if (isContainer(n) || isGroup(n)) return false;
  const info = catalog?.get(n.type);
  if (info) return info.isConfig === true;
  return n.z === undefined && n.x === undefined && n.wires === undefined;
}

export function configNodesOf(doc: FlowDoc, catalog?: Catalog): FlowNode[] {
  return doc.filter((n) => isConfigNode(n, catalog));
}

/** Nodes that reference a config node by id in one of their own properties. */
export function usersOf(doc: FlowDoc, configId: string): FlowNode[] {
  return doc.filter((n) => n.id !== configId && referencesId(n, configId));
}

const STRUCTURAL_KEYS = new Set(['id', 'type', 'z', 'g', 'wires', 'x', 'y', 'w', 'h', 'name', 'nodes']);

export function referencesId(n: FlowNode, id: string): boolean {
  for (const [key, value] of Object.entries(n)) {
    if (STRUCTURAL_KEYS.has(key)) continue;
    if (value === id) return true;
  }
  return false;
}

const CONFIG_MARKERS = ['x-config-type', 'configType', 'x-node-type', 'nodeType'];

/**
 * The config node type a property refers to: an explicit marker in its schema (`x-config-type`),
 * else a config type named after the property (Node-RED's habit: `broker` → `mqtt-broker`,
 * `questdb` → `questdb-config`).
 */
export function configRefType(info: NodeTypeInfo | undefined, key: string, catalog?: Catalog): string | undefined {
  const prop = info?.schema?.properties?.[key];
  if (!prop) return undefined;
  for (const marker of CONFIG_MARKERS) {
    const value = prop[marker];
    if (typeof value === 'string') return value;
  }
  if (!catalog || (prop.type !== undefined && prop.type !== 'string')) return undefined;
  for (const candidate of catalog.values()) {
    if (!candidate.isConfig || candidate.type === info?.type) continue;
    const t = candidate.type;
    if (t === key || t.startsWith(`${key}-`) || t.endsWith(`-${key}`)) return t;
  }
  return undefined;
}

/** The label a node shows: its name, else its subflow's name, else the type's label. */
export function nodeLabel(n: FlowNode, info: NodeTypeInfo | undefined, doc?: FlowDoc): string {
  if (typeof n.name === 'string' && n.name.trim() !== '') return n.name;
  if (n.type.startsWith('subflow:')) {
    const def = doc?.find((d) => d.id === n.type.slice(8));
    if (def && typeof def.name === 'string') return def.name;
  }
  if (n.type === 'tab' && typeof n['label'] === 'string') return n['label'];
  if (n.type === 'debug') return n['complete'] === 'true' ? 'msg' : `msg.${String(n['complete'] ?? 'payload')}`;
  if (n.type === 'inject') return injectLabel(n);
  return info?.label ?? info?.paletteLabel ?? n.type;
}

function injectLabel(n: FlowNode): string {
  const payloadType = n['payloadType'];
  if (payloadType === 'date') return 'timestamp';
  const topic = typeof n['topic'] === 'string' ? n['topic'] : '';
  return topic !== '' ? topic : 'inject';
}

export function paletteLabel(info: NodeTypeInfo): string {
  return info.paletteLabel ?? info.label ?? info.type;
}
