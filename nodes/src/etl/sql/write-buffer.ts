/** The rows of one message, waiting to be written together with those of the messages around it. */
export interface PendingWrite {
  columns: string[];
  rows: unknown[][];
  /** Called once the rows are stored, or with the error that kept them from it. */
  settle(err?: Error): void;
}

export interface WriteBufferOptions {
  /** Flush once this many rows are waiting. */
  maxRows: number;
  /** Flush this long after the first row came in, however few are waiting. */
  flushMs: number;
  /** Stores rows with these columns (one transaction, several statements). */
  write(columns: string[], rows: unknown[][]): Promise<void>;
  setTimer(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimer(t: NodeJS.Timeout | undefined): void;
}

/**
 * Gathers the rows of many small messages (a row per MQTT message, say) into few large writes:
 * messages with the same columns that arrive in a row share one write; every message is settled
 * with its write's outcome. Writes run one after another, in arrival order.
 */
export function createWriteBuffer(o: WriteBufferOptions) {
  let pending: PendingWrite[] = [];
  let rows = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  async function writeBatch(batch: PendingWrite[]): Promise<void> {
    // Consecutive messages with the same columns form one group; a group fails or succeeds as a whole.
    let i = 0;
    while (i < batch.length) {
      const first = batch[i] as PendingWrite;
      const key = first.columns.join('\u0000');
      let j = i + 1;
      while (j < batch.length && (batch[j] as PendingWrite).columns.join('\u0000') === key) j++;
      const group = batch.slice(i, j);
      const all: unknown[][] = [];
      for (const p of group) for (const r of p.rows) all.push(r);
      try {
        await o.write(first.columns, all);
        for (const p of group) p.settle();
      } catch (err) {
        for (const p of group) p.settle(err as Error);
      }
      i = j;
    }
  }

  function flush(): Promise<void> {
    o.clearTimer(timer);
    timer = undefined;
    if (!pending.length) return chain;
    const batch = pending;
    pending = [];
    rows = 0;
    chain = chain.then(() => writeBatch(batch));
    return chain;
  }

  return {
    add(p: PendingWrite): void {
      pending.push(p);
      rows += p.rows.length;
      if (rows >= o.maxRows) void flush();
      else timer ??= o.setTimer(() => void flush(), o.flushMs);
    },
    flush,
    get waitingRows() {
      return rows;
    },
  };
}
