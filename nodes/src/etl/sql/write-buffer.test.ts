import { describe, expect, it } from 'vitest';
import { createWriteBuffer, type PendingWrite } from './write-buffer.js';

function setup(maxRows: number, flushMs: number, fail?: (columns: string[]) => boolean) {
  const writes: { columns: string[]; rows: unknown[][] }[] = [];
  const buffer = createWriteBuffer({
    maxRows,
    flushMs,
    write: async (columns, rows) => {
      await new Promise((r) => setTimeout(r, 1));
      if (fail?.(columns)) throw new Error(`duplicate key in ${columns.join()}`);
      writes.push({ columns, rows });
    },
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (t) => clearTimeout(t),
  });
  const outcomes: (string | undefined)[] = [];
  const add = (columns: string[], ...rows: unknown[][]) => {
    const i = outcomes.push('waiting') - 1;
    const p: PendingWrite = { columns, rows, settle: (err) => (outcomes[i] = err?.message) };
    buffer.add(p);
  };
  return { buffer, writes, outcomes, add };
}

describe('write buffer', () => {
  it('writes the rows of many messages at once when enough are waiting', async () => {
    const { buffer, writes, outcomes, add } = setup(3, 10_000);
    add(['a'], [1]);
    add(['a'], [2]);
    expect(buffer.waitingRows).toBe(2);
    add(['a'], [3], [4]);
    await buffer.flush();
    expect(writes).toEqual([{ columns: ['a'], rows: [[1], [2], [3], [4]] }]);
    expect(outcomes).toEqual([undefined, undefined, undefined]);
  });

  it('writes what waits after the flush interval, one write per run of equal columns', async () => {
    const { writes, outcomes, add } = setup(100, 20);
    add(['a'], [1]);
    add(['a', 'b'], [2, 3]);
    add(['a', 'b'], [4, 5]);
    add(['a'], [6]);
    await new Promise((r) => setTimeout(r, 60));
    expect(writes.map((w) => w.rows)).toEqual([[[1]], [[2, 3], [4, 5]], [[6]]]);
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('fails every message of a failed write, and only those', async () => {
    const { buffer, outcomes, add } = setup(100, 10_000, (cols) => cols.includes('b'));
    add(['a'], [1]);
    add(['b'], [2]);
    add(['b'], [3]);
    await buffer.flush();
    expect(outcomes).toEqual([undefined, 'duplicate key in b', 'duplicate key in b']);
  });
});
