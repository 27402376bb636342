import { nodeLabel } from './query.js';
import type { Catalog, FlowDoc, FlowNode } from './types.js';

export interface SearchHit {
  node: FlowNode;
  label: string;
  /** Where the query matched: the name or label, the type, the id, or a property. */
  field: string;
  snippet: string;
}

const SKIP = new Set(['wires', 'x', 'y', 'z', 'g', 'w', 'h']);

function snippetAround(text: string, at: number, len: number): string {
  const start = Math.max(0, at - 20);
  const end = Math.min(text.length, at + len + 20);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** Finds nodes whose name, label, type, id or any property value contains the query (case-insensitive). */
export function searchNodes(doc: FlowDoc, query: string, catalog: Catalog, limit = 200): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const hits: SearchHit[] = [];
  for (const node of doc) {
    if (hits.length >= limit) break;
    const label = nodeLabel(node, catalog.get(node.type), doc);
    const fields: [string, string][] = [
      ['label', label],
      ['type', node.type],
      ['id', node.id],
    ];
    for (const [key, value] of Object.entries(node)) {
      if (SKIP.has(key) || key === 'id' || key === 'type') continue;
      if (value === undefined || value === null) continue;
      fields.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
    }
    for (const [field, text] of fields) {
      const at = text.toLowerCase().indexOf(q);
      if (at >= 0) {
        hits.push({ node, label, field, snippet: snippetAround(text, at, q.length) });
        break;
      }
    }
  }
  return hits;
}
