import { paletteLabel, subflowTypeInfo, type Catalog, type FlowDoc, type NodeTypeInfo } from '../model/index.js';

export const CATEGORY_ORDER = ['core', 'device', 'stream', 'storage', 'etl', 'app', 'subflows'] as const;
export const CATEGORY_LABELS: Record<string, string> = {
  core: 'Core',
  device: 'Device',
  stream: 'Stream',
  storage: 'Storage',
  etl: 'ETL',
  app: 'App',
  subflows: 'Subflows',
};

export interface PaletteGroup {
  category: string;
  label: string;
  entries: NodeTypeInfo[];
}

/** The palette: node types by category (config nodes are not dragged), subflows last, filtered by a search. */
export function paletteGroups(catalog: Catalog, doc: FlowDoc, filter: string): PaletteGroup[] {
  const q = filter.trim().toLowerCase();
  const all: NodeTypeInfo[] = [...catalog.values()].filter((i) => !i.isConfig);
  all.push(...doc.filter((n) => n.type === 'subflow').map(subflowTypeInfo));
  const matches = (i: NodeTypeInfo): boolean =>
    q === '' || paletteLabel(i).toLowerCase().includes(q) || i.type.toLowerCase().includes(q) || i.category.toLowerCase().includes(q);
  const byCategory = new Map<string, NodeTypeInfo[]>();
  for (const info of all) {
    if (!matches(info)) continue;
    const list = byCategory.get(info.category) ?? [];
    list.push(info);
    byCategory.set(info.category, list);
  }
  const order = [...CATEGORY_ORDER, ...[...byCategory.keys()].filter((c) => !(CATEGORY_ORDER as readonly string[]).includes(c)).sort()];
  return order
    .filter((c) => byCategory.has(c))
    .map((c) => ({ category: c, label: CATEGORY_LABELS[c] ?? c, entries: byCategory.get(c) ?? [] }));
}

/** A string that changes when a subflow is added, removed, renamed or gets other ports. */
export function subflowSignature(doc: FlowDoc): string {
  let key = '';
  for (const n of doc) {
    if (n.type !== 'subflow') continue;
    const ports = `${Array.isArray(n['in']) ? n['in'].length : 0}/${Array.isArray(n['out']) ? n['out'].length : 0}`;
    key += `${n.id}:${String(n.name)}:${ports}:${String(n['color'])}|`;
  }
  return key;
}
