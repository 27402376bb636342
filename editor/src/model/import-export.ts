import { parseFlowDocument } from '@gridflow/runtime/model';
import { exportableSet } from './clipboard.js';
import type { FlowDoc, FlowNode } from './types.js';

export class ImportError extends Error {
  readonly code = 'IMPORT_INVALID';
}

/**
 * Reads what a user pastes or uploads: a Node-RED export (an array), the admin API's
 * `{ flows, rev }` form, or a single node object.
 */
export function parseImport(text: string): FlowNode[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`not valid JSON: ${(err as Error).message}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !('flows' in value)) value = [value];
  try {
    return parseFlowDocument(value).flows;
  } catch (err) {
    throw new ImportError((err as Error).message);
  }
}

export type ExportScope = { kind: 'selection'; ids: Iterable<string> } | { kind: 'tab'; tabId: string } | { kind: 'all' };

/** The nodes an export holds, in Node-RED's format. */
export function exportNodes(doc: FlowDoc, scope: ExportScope): FlowNode[] {
  if (scope.kind === 'all') return [...doc];
  if (scope.kind === 'selection') return exportableSet(doc, scope.ids);
  const onTab = doc.filter((n) => n.z === scope.tabId).map((n) => n.id);
  const set = exportableSet(doc, onTab);
  const tab = doc.find((n) => n.id === scope.tabId);
  return tab ? [tab, ...set] : set;
}

export function formatExport(nodes: FlowNode[], pretty: boolean): string {
  return pretty ? JSON.stringify(nodes, null, 4) : JSON.stringify(nodes);
}
