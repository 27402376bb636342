import type { FlowControl } from '@gridflow/runtime';

/**
 * A repeating source's tick under back-pressure: while the runtime is paused one tick waits for
 * it to resume and fires then; the ticks that come meanwhile are dropped instead of piling up.
 */
export interface Ticker {
  tick(): void;
  stop(): void;
  /** Ticks dropped because the runtime was paused. */
  readonly skipped: number;
}

export function createTicker(flowControl: FlowControl, fire: () => void): Ticker {
  let waiting = false;
  let stopped = false;
  let skipped = 0;
  return {
    tick() {
      if (stopped) return;
      if (!flowControl.paused) return fire();
      if (waiting) {
        skipped++;
        return;
      }
      waiting = true;
      void flowControl.ready().then(() => {
        waiting = false;
        if (!stopped) fire();
      });
    },
    stop() {
      stopped = true;
    },
    get skipped() {
      return skipped;
    },
  };
}
