import {
  addNode,
  createSubflowFromSelection,
  deleteNodes,
  disconnect,
  exportableSet,
  fitGroups,
  formatExport,
  groupNodes,
  parseImport,
  parseWireId,
  pasteNodes,
  setDisabled,
  subflowTypeInfo,
  ungroup,
  type FlowDoc,
  type NodeTypeInfo,
  type Point,
} from '../model/index.js';
import { api } from '../api/client.js';
import { currentDoc, edit, editor, openSubflow, setSelection } from './editor-state.js';
import { rectOfNode } from './layout.js';
import { session } from './session.js';
import { notify } from './ui-state.js';

/** The node type info for a palette entry, subflows included. */
export function typeInfoFor(type: string, doc: FlowDoc = currentDoc()): NodeTypeInfo | undefined {
  const known = session.get().catalog.get(type);
  if (known) return known;
  if (!type.startsWith('subflow:')) return undefined;
  const def = doc.find((n) => n.id === type.slice(8) && n.type === 'subflow');
  return def ? subflowTypeInfo(def) : undefined;
}

/** Drops a new node of `type` with its centre at `at` on the active tab, and selects it. */
export function addNodeAt(type: string, at: Point): string | undefined {
  const { activeZ } = editor.get();
  if (!activeZ) return undefined;
  const doc = currentDoc();
  const info = typeInfoFor(type, doc);
  if (type.startsWith('subflow:') && type.slice(8) === activeZ) {
    notify('error', 'A subflow cannot contain itself');
    return undefined;
  }
  const { doc: next, id } = addNode(doc, { type, z: activeZ, at, info });
  edit(() => next, { select: [id] });
  return id;
}

function selectedNodeIds(): string[] {
  return [...editor.get().selection].filter((id) => !id.includes('|') && !id.includes('::'));
}

export function deleteSelection(): void {
  const sel = [...editor.get().selection];
  if (sel.length === 0) return;
  edit((doc) => {
    let next = doc;
    for (const id of sel) {
      const wire = parseWireId(id);
      if (wire) next = disconnect(next, wire);
    }
    return deleteNodes(next, sel.filter((id) => !id.includes('|') && !id.includes('::')));
  }, { select: [] });
}

let internalClipboard = '';

/** The selection as Node-RED JSON (what Ctrl+C puts on the clipboard). */
export function copySelection(): string {
  const ids = selectedNodeIds();
  if (ids.length === 0) return '';
  internalClipboard = formatExport(exportableSet(currentDoc(), ids), false);
  notify('info', `Copied ${ids.length} node${ids.length === 1 ? '' : 's'}`);
  return internalClipboard;
}

export function cutSelection(): string {
  const text = copySelection();
  if (text) deleteSelection();
  return text;
}

/**
 * Pastes Node-RED JSON onto the active tab, at `at` when given (else next to the originals);
 * a paste that brings tabs adds them as new tabs.
 */
export function pasteText(text: string, at?: Point): boolean {
  const source = text.trim() !== '' ? text : internalClipboard;
  if (source.trim() === '') return false;
  let nodes;
  try {
    nodes = parseImport(source);
  } catch (err) {
    notify('error', `Cannot paste: ${(err as Error).message}`);
    return false;
  }
  const { activeZ } = editor.get();
  const doc = currentDoc();
  const fallback = at ?? nextToOriginals(nodes);
  const result = pasteNodes(doc, nodes, { z: activeZ, at: fallback });
  edit(() => result.doc, { select: result.placed });
  if (result.tabs.length > 0) {
    editor.set({ activeZ: result.tabs[0] ?? activeZ });
    notify('success', `Imported ${result.tabs.length} flow${result.tabs.length === 1 ? '' : 's'}`);
  } else {
    notify('success', `Pasted ${result.placed.length} node${result.placed.length === 1 ? '' : 's'}`);
  }
  return true;
}

function nextToOriginals(nodes: { x?: number | undefined; y?: number | undefined }[]): Point | undefined {
  const xs = nodes.map((n) => n.x).filter((x): x is number => typeof x === 'number');
  const ys = nodes.map((n) => n.y).filter((y): y is number => typeof y === 'number');
  if (xs.length === 0) return undefined;
  return { x: Math.min(...xs) + 40, y: Math.min(...ys) + 40 };
}

export function selectAll(): void {
  const { activeZ } = editor.get();
  setSelection(currentDoc().filter((n) => n.z === activeZ && n.type !== 'tab').map((n) => n.id));
}

export function groupSelection(): void {
  const ids = selectedNodeIds();
  if (ids.length === 0) return;
  const { activeZ } = editor.get();
  const catalog = session.get().catalog;
  edit((doc) => {
    const { doc: next, id } = groupNodes(doc, ids, activeZ, rectOfNode(doc, catalog));
    return id ? next : doc;
  });
}

export function ungroupSelection(): void {
  const doc = currentDoc();
  const groups = selectedNodeIds().filter((id) => doc.some((n) => n.id === id && n.type === 'group'));
  if (groups.length === 0) return;
  edit((d) => groups.reduce((acc, g) => ungroup(acc, g), d), { select: [] });
}

export function selectionToSubflow(): void {
  const ids = selectedNodeIds();
  if (ids.length === 0) return;
  const { activeZ } = editor.get();
  const catalog = session.get().catalog;
  if (currentDoc().some((n) => n.id === activeZ && n.type === 'subflow')) {
    notify('error', 'Subflows inside subflows are not supported here: select nodes on a flow tab');
    return;
  }
  const result = createSubflowFromSelection(currentDoc(), ids, activeZ);
  if (!result.subflowId) return;
  edit(() => fitGroups(result.doc, rectOfNode(result.doc, catalog)), { select: [result.instanceId] });
  notify('success', 'Created a subflow from the selection');
}

export function editSubflowOf(nodeType: string): void {
  if (nodeType.startsWith('subflow:')) openSubflow(nodeType.slice(8));
}

export function toggleDisabledSelection(): void {
  const ids = new Set(selectedNodeIds());
  if (ids.size === 0) return;
  const doc = currentDoc();
  const anyEnabled = doc.some((n) => ids.has(n.id) && n.d !== true);
  edit((d) => setDisabled(d, ids, anyEnabled));
}

export function injectNode(id: string): void {
  api.inject(id).then(
    () => notify('info', 'Injected'),
    (err: unknown) => notify('error', `Inject failed: ${(err as Error).message}`),
  );
}
