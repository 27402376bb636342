import { api } from '../api/client.js';
import { connectSocket } from '../api/socket.js';
import { isDirty } from '../state/derived.js';
import { deployState, reloadFlows } from '../state/deploy.js';
import { editor, loadDocument } from '../state/editor-state.js';
import { addDebugMessages, addLogEntries, runtimeState, setStatus, setStatuses } from '../state/runtime-state.js';
import { session, toTypeInfo } from '../state/session.js';
import { notify } from '../state/ui-state.js';

/** Someone (maybe in another window) deployed: take the new flows unless we have local edits. */
function onRemoteRev(rev: string, who: string): void {
  const s = editor.get();
  if (deployState.get().busy || s.rev === rev) return;
  if (!isDirty(s.history.present, s.deployed)) {
    reloadFlows().catch((err: unknown) => notify('error', `Reload failed: ${(err as Error).message}`));
    notify('info', `${who} deployed new flows: loaded them`);
  } else {
    deployState.set({ conflict: true });
    notify('error', `${who} deployed new flows; you have undeployed changes`);
  }
}

/** Loads what the editor needs and listens to the server; returns a function that stops listening. */
export async function startSession(): Promise<() => void> {
  const [nodes, flows, status] = await Promise.all([api.nodes(), api.flows(), api.status()]);
  session.set({ catalog: new Map(nodes.nodes.map((n) => [n.type, toTypeInfo(n)])) });
  loadDocument(flows.flows, flows.rev);
  setStatuses(status.statuses);

  const socket = connectSocket();
  socket.on('connect', () => runtimeState.set({ connected: true }));
  socket.on('disconnect', () => runtimeState.set({ connected: false }));
  socket.on('connect_error', (err) => {
    runtimeState.set({ connected: false });
    if (err.message === 'unauthorized') session.set({ user: null });
  });
  socket.on('hello', (e) => onRemoteRev(e.rev, 'The server'));
  socket.on('debug', (e) => addDebugMessages(e.messages, Object.values(e.dropped).reduce((a, b) => a + b, 0)));
  socket.on('status', (e) => setStatus(e.id, e.status));
  socket.on('runtime-log', (e) => addLogEntries(e.entries, e.dropped));
  socket.on('deploy', (e) => onRemoteRev(e.rev, e.user));
  return () => {
    socket.close();
  };
}
