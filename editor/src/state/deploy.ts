import type { NodeProblem } from '../model/index.js';
import { api, ApiRequestError } from '../api/client.js';
import { currentDoc, editor, loadDocument, markDeployed } from './editor-state.js';
import { localProblems } from './derived.js';
import { session } from './session.js';
import { createStore } from './store.js';
import { notify } from './ui-state.js';

export type DeployType = 'full' | 'flows' | 'nodes';

export interface DeployState {
  busy: boolean;
  /** Set when the server's flows changed since we loaded them (409). */
  conflict: boolean;
  lastType: DeployType;
}

export const deployState = createStore<DeployState>({ busy: false, conflict: false, lastType: 'full' });

/** Deploys the document; an invalid flow puts the server's problems on their nodes. */
export async function deploy(type: DeployType = deployState.get().lastType, force = false): Promise<boolean> {
  if (deployState.get().busy) return false;
  if (!session.get().user?.permissions.deploy) {
    notify('error', 'Your role may not deploy');
    return false;
  }
  const doc = currentDoc();
  const local = localProblems(doc, session.get().catalog);
  if (local.size > 0) {
    // Node-RED deploys flows with invalid nodes after a warning; the server has the last word.
    notify('info', `${local.size} node${local.size === 1 ? ' has' : 's have'} invalid properties`);
  }
  deployState.set({ busy: true, lastType: type });
  try {
    const { rev } = editor.get();
    const res = await api.deploy({ flows: [...doc], type, ...(rev !== undefined && !force ? { rev } : {}) });
    markDeployed(doc, res.rev);
    const failed = res.result.failed;
    if (failed.length > 0) {
      editor.set({
        serverProblems: problemsByNode(failed.map((f) => ({ nodeId: f.id, type: f.type, message: f.message }))),
        problemDoc: doc,
      });
      notify('error', `Deployed, but ${failed.length} node${failed.length === 1 ? '' : 's'} failed to start`);
    } else {
      notify('success', 'Deployed');
    }
    deployState.set({ conflict: false });
    return true;
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 409) {
      deployState.set({ conflict: true });
      notify('error', 'The flows on the server changed since you loaded them');
    } else if (err instanceof ApiRequestError && err.problems.length > 0) {
      editor.set({ serverProblems: problemsByNode(err.problems), problemDoc: doc });
      notify('error', `Deploy refused: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} (see the marked nodes)`);
    } else {
      notify('error', `Deploy failed: ${(err as Error).message}`);
    }
    return false;
  } finally {
    deployState.set({ busy: false });
  }
}

function problemsByNode(list: { nodeId: string; type?: string; property?: string | undefined; message: string }[]): Map<string, NodeProblem[]> {
  const map = new Map<string, NodeProblem[]>();
  for (const p of list) {
    const entry: NodeProblem = { nodeId: p.nodeId, type: p.type, property: p.property, message: p.message, source: 'server' };
    map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), entry]);
  }
  return map;
}

/** Loads the server's flows, dropping local changes. */
export async function reloadFlows(): Promise<void> {
  const { flows, rev } = await api.flows();
  loadDocument(flows, rev);
  deployState.set({ conflict: false });
}
