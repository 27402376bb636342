import type { FlowDoc, NodeProblem } from '../model/index.js';
import { allProblems, changedNodes, localProblems } from './derived.js';
import { docOf, editor } from './editor-state.js';
import { session } from './session.js';
import { useStore } from './store.js';

export function useDoc(): FlowDoc {
  return useStore(editor, docOf);
}

/** Every node's problems: local validation and the server's from the last failed deploy. */
export function useProblems(): ReadonlyMap<string, NodeProblem[]> {
  const doc = useDoc();
  const catalog = useStore(session, (s) => s.catalog);
  const server = useStore(editor, (s) => s.serverProblems);
  const problemDoc = useStore(editor, (s) => s.problemDoc);
  return allProblems(doc, localProblems(doc, catalog), server, problemDoc);
}

export function useChanged(): ReadonlySet<string> {
  const doc = useDoc();
  const deployed = useStore(editor, (s) => s.deployed);
  return changedNodes(doc, deployed);
}
