import type { DebugMessage, LogEntry, NodeStatusInfo } from '@gridflow/runtime/contract';
import { createStore } from './store.js';

export const DEBUG_LIMIT = 500;

/** One line of the debug sidebar: a debug node's message, or a node's error or warning. */
export type DebugItem = ({ kind: 'msg' } & DebugMessage) | ({ kind: 'log' } & LogEntry);

/** Node statuses live in their own store: 2,000 node components listen to it, and to nothing else. */
export const statusState = createStore<{ statuses: ReadonlyMap<string, NodeStatusInfo> }>({ statuses: new Map() });

export interface RuntimeState {
  debug: readonly DebugItem[];
  /** Messages the server left out (its rate limit). */
  dropped: number;
  paused: boolean;
  /** Messages that arrived while paused and were not kept. */
  held: number;
  connected: boolean;
}

export const runtimeState = createStore<RuntimeState>({
  debug: [],
  dropped: 0,
  paused: false,
  held: 0,
  connected: false,
});

function append(items: DebugItem[], dropped: number): void {
  runtimeState.set((s) => {
    if (s.paused) return { held: s.held + items.length, dropped: s.dropped + dropped };
    const debug = [...s.debug, ...items];
    return {
      debug: debug.length > DEBUG_LIMIT ? debug.slice(debug.length - DEBUG_LIMIT) : debug,
      dropped: s.dropped + dropped,
    };
  });
}

export function addDebugMessages(messages: DebugMessage[], dropped: number): void {
  append(messages.map((m) => ({ kind: 'msg' as const, ...m })), dropped);
}

/** Node errors and warnings show in the debug sidebar, as in Node-RED. */
export function addLogEntries(entries: LogEntry[], dropped: number): void {
  const shown = entries.filter((e) => e.level === 'error' || e.level === 'warn');
  if (shown.length > 0 || dropped > 0) append(shown.map((e) => ({ kind: 'log' as const, ...e })), dropped);
}

export function clearDebug(): void {
  runtimeState.set({ debug: [], dropped: 0, held: 0 });
}

export function setPaused(paused: boolean): void {
  runtimeState.set({ paused, held: 0 });
}

export function setStatus(id: string, status: NodeStatusInfo): void {
  statusState.set((s) => {
    const statuses = new Map(s.statuses);
    if (status.text === undefined && status.fill === undefined) statuses.delete(id);
    else statuses.set(id, status);
    return { statuses };
  });
}

export function setStatuses(list: { id: string; status: NodeStatusInfo }[]): void {
  statusState.set({ statuses: new Map(list.map((s) => [s.id, s.status])) });
}
