import type { Point } from '../model/index.js';
import { createStore } from './store.js';

export type SidebarTab = 'node' | 'info' | 'debug' | 'config' | 'history';
export type Dialog = 'import' | 'export' | 'search' | null;

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

export interface UiState {
  sidebar: SidebarTab;
  dialog: Dialog;
  notices: readonly Notice[];
  /** Node to centre the view on (search results, error links); cleared by the canvas. */
  focusNode: string | null;
}

export const ui = createStore<UiState>({ sidebar: 'node', dialog: null, notices: [], focusNode: null });

let noticeId = 0;

/** Shows a message in the corner for a few seconds (errors stay until closed). */
export function notify(kind: Notice['kind'], text: string): void {
  const id = ++noticeId;
  ui.set((s) => ({ notices: [...s.notices, { id, kind, text }].slice(-3) }));
  if (kind !== 'error') setTimeout(() => dismiss(id), kind === 'info' ? 2500 : 4000);
}

export function dismiss(id: number): void {
  ui.set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

/** Where the pointer last was on the canvas, in flow coordinates (where a paste lands). No component listens. */
export const pointer = createStore<{ flow: Point | null }>({ flow: null });
