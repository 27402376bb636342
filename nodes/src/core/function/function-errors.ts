import type { Msg } from '@gridflow/runtime';
import { FunctionTimeoutError } from './time-guard.js';

/** Maps a stack frame's line and column (of the compiled code) to the user's; undefined for other files. */
export type FrameLocator = (frame: string) => { line: number; column: number } | undefined;

const POSITION = /:(\d+):(\d+)$/;

/**
 * What Node-RED's function node hands to `done()` when the body throws or rejects, so that catch
 * nodes and the log see the same thing:
 * - an Error (anything with its own `stack`) is stored as `msg.error` first, so a catch node gets
 *   it back as `msg._error`; a ReferenceError's message becomes its stack line plus
 *   " (line L, col C)" (hence Node-RED's doubled "ReferenceError: ReferenceError: ...");
 * - a string is passed as it is, anything else as its JSON text.
 * A time limit error is passed untouched and leaves `msg` alone: Node-RED's vm time limit
 * throws synchronously, before its promise handling runs.
 */
export function bodyFailure(msg: Msg, err: unknown, locate: FrameLocator): unknown {
  if (err instanceof FunctionTimeoutError) return err;
  if (typeof err === 'string') return err;
  if (err === null || typeof err !== 'object' || !Object.prototype.hasOwnProperty.call(err, 'stack')) {
    return JSON.stringify(err);
  }
  const e = err as { stack?: unknown; message?: unknown };
  msg['error'] = err;
  if (typeof e.stack !== 'string') return err;
  const stack = e.stack.split(/\r?\n/);
  const at = stack.findIndex((l) => l.startsWith('ReferenceError'));
  if (at < 0) return err;
  let message = stack[at] as string;
  const frame = stack[at + 1] ?? '';
  const m = POSITION.exec(frame);
  if (m) {
    const own = locate(frame);
    const line = own ? own.line : Number(m[1]) - 1;
    const column = own ? own.column : Number(m[2]);
    message += ` (line ${line}, col ${column})`;
  }
  try {
    e.message = message;
  } catch {
    // A frozen error keeps its message.
  }
  return err;
}
