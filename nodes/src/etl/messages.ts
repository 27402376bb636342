import { generateId, type Msg } from '@gridflow/runtime';
import { jobOf } from './services.js';

/** `msg.parts` of a message that is one piece of a source's output (a page, a row, a line). */
export interface SourceParts {
  id: string;
  index: number;
  /** Set on the last piece only: the source does not know the total before the end. */
  count?: number;
  type: 'array';
  len: 1;
  /** The input's own parts, as Node-RED's split keeps them. */
  parts?: unknown;
}

/** The parts id of a source's output: the run id inside a job (so the schedule node can count pieces), else a new id. */
export function partsIdOf(msg: Msg): string {
  return jobOf(msg)?.id ?? generateId();
}

/**
 * A piece of a source's output: the input's properties (msg.job, topic, ...) with a new payload.
 * Shallow: the pieces share nested values of the input, which the runtime copies on fan-out anyway.
 */
export function pieceOf(msg: Msg, payload: unknown, id: string, index: number, last: boolean, extra: Record<string, unknown> = {}): Msg {
  const parts: SourceParts = { id, index, type: 'array', len: 1 };
  if (last) parts.count = index + 1;
  if (msg['parts'] !== undefined) parts.parts = msg['parts'];
  const job = jobOf(msg);
  return { ...msg, ...extra, _msgid: msg._msgid, payload, parts, ...(job ? { job: { ...job } } : {}) };
}
