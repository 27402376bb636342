import { describe, expect, it } from 'vitest';
import type { FlowControl } from '@gridflow/runtime';
import { createTicker } from './ticker.js';

/** A flow control the test pauses and resumes by hand (the runtime's only pauses under load). */
function manualFlowControl() {
  let paused = false;
  const listeners = new Set<(p: boolean) => void>();
  const fc: FlowControl = {
    get paused() {
      return paused;
    },
    ready: () => (paused ? new Promise<void>((resolve) => listeners.add(function l(p) {
      if (!p) {
        listeners.delete(l);
        resolve();
      }
    })) : Promise.resolve()),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const set = (p: boolean) => {
    paused = p;
    for (const l of [...listeners]) l(p);
  };
  return { fc, set };
}

describe('inject ticker', () => {
  it('fires at once while the runtime has room', () => {
    const { fc } = manualFlowControl();
    let fired = 0;
    const t = createTicker(fc, () => fired++);
    t.tick();
    t.tick();
    expect(fired).toBe(2);
  });

  it('holds one tick while paused, drops the rest, and fires once on resume', async () => {
    const { fc, set } = manualFlowControl();
    let fired = 0;
    const t = createTicker(fc, () => fired++);
    set(true);
    for (let i = 0; i < 5; i++) t.tick();
    expect(fired).toBe(0);
    expect(t.skipped).toBe(4);
    set(false);
    await Promise.resolve();
    expect(fired).toBe(1);
    t.tick();
    expect(fired).toBe(2);
  });

  it('does not fire after it was stopped', async () => {
    const { fc, set } = manualFlowControl();
    let fired = 0;
    const t = createTicker(fc, () => fired++);
    set(true);
    t.tick();
    t.stop();
    set(false);
    await Promise.resolve();
    t.tick();
    expect(fired).toBe(0);
  });
});
