import { GridflowError } from '@gridflow/runtime';

/**
 * Thrown inside user code when it holds the event loop longer than its node's time limit. Its
 * code, name and message are those of the error Node-RED's vm time limit throws
 * ("Error: Script execution timed out after 50ms"), so flows that test for them behave alike;
 * the node id and the limit are fields of their own.
 */
export class FunctionTimeoutError extends GridflowError {
  constructor(
    readonly nodeId: string,
    readonly limitMs: number,
  ) {
    super('ERR_SCRIPT_EXECUTION_TIMEOUT', `Script execution timed out after ${limitMs}ms`);
    this.name = 'Error';
  }
}

/**
 * The host side of the guard inserted into user code. The inserted call only counts down a
 * counter (inside the node's vm context); every `left` hits it asks `check` for the time and for
 * how many hits to allow before asking again: few while hits are slow, many while they are fast,
 * so a tight loop reads the clock about once a millisecond and a short run never reads it at all.
 *
 * A time window opens at the first check after an entry (a message, a timer callback, setup or
 * close) and ends when the event loop gets a turn (setImmediate), so code that keeps the loop
 * busy across promise continuations is still caught, and awaiting real I/O starts afresh.
 */
export interface TimeGuard {
  /** Called by the in-context counter when it runs out; returns the next allowance or throws. */
  check(): number;
  /** Called before the host runs user code. */
  enter(): void;
  /** Connects the in-context counter's setter. */
  bind(setLeft: (left: number) => void): void;
}

const START = 64;
const MAX = 1 << 16;

export function createTimeGuard(nodeId: string, limitMs: number): TimeGuard {
  let deadline = 0;
  let lastCheck = 0;
  let every = START;
  let resetQueued = false;
  let setLeft: (left: number) => void = () => undefined;

  const reset = () => {
    resetQueued = false;
    deadline = 0;
    every = START;
    setLeft(START);
  };

  return {
    check() {
      const now = performance.now();
      if (deadline === 0) {
        deadline = now + limitMs;
        lastCheck = now;
        if (!resetQueued) {
          resetQueued = true;
          setImmediate(reset);
        }
        return every;
      }
      // No reset of the counter: every further hit checks again and throws again, so user code
      // that catches the error cannot carry on looping.
      if (now > deadline) throw new FunctionTimeoutError(nodeId, limitMs);
      const gap = now - lastCheck;
      lastCheck = now;
      if (gap < 1 && every < MAX) every *= 2;
      else if (gap > 10 && every > START) every = Math.max(START, every >> 2);
      return every;
    },
    enter() {
      deadline = 0;
      every = START;
      setLeft(START);
    },
    bind(fn) {
      setLeft = fn;
    },
  };
}
