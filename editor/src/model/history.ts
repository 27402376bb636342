import type { FlowDoc } from './types.js';

/**
 * Undo history as a list of whole documents. Documents share every unchanged node object, so a
 * snapshot costs one array of references, not a copy of the flow.
 */
export interface History {
  readonly past: readonly FlowDoc[];
  readonly present: FlowDoc;
  readonly future: readonly FlowDoc[];
  /** Edits with the same key close together (typing into one field) merge into one step. */
  readonly lastKey?: string | undefined;
  readonly lastAt?: number | undefined;
}

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 1500;

export function createHistory(doc: FlowDoc): History {
  return { past: [], present: doc, future: [] };
}

export interface CommitOptions {
  coalesceKey?: string | undefined;
  now?: number;
}

export function commit(h: History, doc: FlowDoc, opts: CommitOptions = {}): History {
  if (doc === h.present) return h;
  const now = opts.now ?? Date.now();
  const merge = opts.coalesceKey !== undefined && opts.coalesceKey === h.lastKey && h.lastAt !== undefined && now - h.lastAt < COALESCE_MS;
  if (merge) return { ...h, present: doc, future: [], lastAt: now };
  const past = [...h.past, h.present];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, present: doc, future: [], lastKey: opts.coalesceKey, lastAt: now };
}

export function undo(h: History): History {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  const next = h.future[0];
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1) };
}

/** Replaces the document without an undo step (a fresh load from the server). */
export function reset(doc: FlowDoc): History {
  return createHistory(doc);
}
