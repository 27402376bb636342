import {
  addTab,
  commit,
  createHistory,
  redo as redoHistory,
  undo as undoHistory,
  type FlowDoc,
  type History,
  type NodeProblem,
} from '../model/index.js';
import { createStore } from './store.js';

export interface EditorState {
  history: History;
  /** The document as last loaded from or deployed to the server. */
  deployed: FlowDoc;
  rev: string | undefined;
  /** The tab or subflow shown on the canvas. */
  activeZ: string;
  /** Subflow definitions opened as tabs. */
  openSubflows: readonly string[];
  /** Selected node ids and wire ids on the active tab. */
  selection: ReadonlySet<string>;
  /** Problems the server reported on the last failed deploy, by node id. */
  serverProblems: ReadonlyMap<string, NodeProblem[]>;
  /** The document those problems were found in: a node edited since then loses its server problems. */
  problemDoc: FlowDoc;
  loaded: boolean;
}

export const editor = createStore<EditorState>({
  history: createHistory([]),
  deployed: [],
  rev: undefined,
  activeZ: '',
  openSubflows: [],
  selection: new Set(),
  serverProblems: new Map(),
  problemDoc: [],
  loaded: false,
});

export const docOf = (s: EditorState): FlowDoc => s.history.present;
export const currentDoc = (): FlowDoc => editor.get().history.present;

export interface EditOptions {
  /** Consecutive edits with the same key (typing in one field) make one undo step. */
  coalesceKey?: string;
  select?: Iterable<string>;
}

/** Applies a change to the document as one undo step. */
export function edit(change: (doc: FlowDoc) => FlowDoc, opts: EditOptions = {}): void {
  editor.set((s) => {
    const next = change(s.history.present);
    const patch: Partial<EditorState> = {};
    if (next !== s.history.present) patch.history = commit(s.history, next, { coalesceKey: opts.coalesceKey });
    if (opts.select) patch.selection = new Set(opts.select);
    return patch;
  });
}

export function undo(): void {
  editor.set((s) => ({ history: undoHistory(s.history), selection: new Set() }));
}

export function redo(): void {
  editor.set((s) => ({ history: redoHistory(s.history), selection: new Set() }));
}

export function setSelection(ids: Iterable<string>): void {
  editor.set({ selection: new Set(ids) });
}

/** Loads a document from the server: it becomes the deployed baseline and the undo history starts over. */
export function loadDocument(loaded: FlowDoc, rev: string): void {
  // An empty server still gets a first tab to draw on, as Node-RED's editor does.
  const doc = loaded.some((n) => n.type === 'tab') ? loaded : addTab(loaded, 'Flow 1').doc;
  editor.set((s) => {
    const tabs = doc.filter((n) => n.type === 'tab');
    const keep = tabs.some((t) => t.id === s.activeZ) || doc.some((n) => n.id === s.activeZ && n.type === 'subflow');
    return {
      history: createHistory(doc),
      deployed: doc,
      rev,
      activeZ: keep ? s.activeZ : (tabs[0]?.id ?? ''),
      openSubflows: s.openSubflows.filter((id) => doc.some((n) => n.id === id)),
      selection: new Set(),
      serverProblems: new Map(),
      loaded: true,
    };
  });
}

/** After a successful deploy: what was sent is the new baseline; the undo history stays. */
export function markDeployed(doc: FlowDoc, rev: string): void {
  editor.set({ deployed: doc, rev, serverProblems: new Map() });
}

export function setActive(z: string): void {
  editor.set((s) => (s.activeZ === z ? {} : { activeZ: z, selection: new Set() }));
}

export function openSubflow(id: string): void {
  editor.set((s) => ({
    openSubflows: s.openSubflows.includes(id) ? s.openSubflows : [...s.openSubflows, id],
    activeZ: id,
    selection: new Set(),
  }));
}

export function closeSubflow(id: string): void {
  editor.set((s) => {
    const openSubflows = s.openSubflows.filter((x) => x !== id);
    const firstTab = s.history.present.find((n) => n.type === 'tab')?.id ?? '';
    return { openSubflows, activeZ: s.activeZ === id ? firstTab : s.activeZ };
  });
}
