import { useDeferredValue } from 'react';
import type { FlowDoc, NodeProblem } from '../model/index.js';
import { allProblems, changedNodes, localProblems } from './derived.js';
import { docOf, editor } from './editor-state.js';
import { session } from './session.js';
import { useStore } from './store.js';

export function useDoc(): FlowDoc {
  return useStore(editor, docOf);
}

const NO_DOC: FlowDoc = [];

/**
 * Every node's problems: local validation and the server's from the last failed deploy. Local
 * validation runs on a deferred copy of the document, so a big flow is drawn first and checked
 * in the background (React renders the deferred value after the urgent one).
 */
export function useProblems(): ReadonlyMap<string, NodeProblem[]> {
  const doc = useDoc();
  const checked = useDeferredValue(doc, NO_DOC);
  const catalog = useStore(session, (s) => s.catalog);
  const server = useStore(editor, (s) => s.serverProblems);
  const problemDoc = useStore(editor, (s) => s.problemDoc);
  return allProblems(doc, localProblems(checked, catalog), server, problemDoc);
}

export function useChanged(): ReadonlySet<string> {
  const doc = useDoc();
  const deployed = useStore(editor, (s) => s.deployed);
  return changedNodes(doc, deployed);
}
