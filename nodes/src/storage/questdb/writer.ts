import { createBoundedQueue } from './bounded-queue.js';
import { describeConnection, questDbConnection, type QuestDbConnectionInput } from './connection.js';
import { createIlpSender, IngestFailureError, type IlpSender, type LogFn } from './ilp-sender.js';
import { prepareRow, type PreparedRow, type Row } from './row.js';

/**
 * The QuestDB writer: rows go into a bounded buffer and a loop sends them over ILP/HTTP in batches
 * (by row count or by age), a few requests at a time so that one slow commit does not hold back the
 * rows behind it. A row leaves the buffer only when QuestDB has accepted it or has rejected it for
 * good, so delivery is at-least-once: after a failure the same rows, with the same timestamps, are
 * sent again, and tables with dedup keys store each of them once.
 *
 * - Back-pressure: `write()` resolves when the row is in the buffer and waits while the buffer is
 *   full; `paused` says so to sources.
 * - QuestDB down or restarting: the batch is retried with exponential back-off, without limit
 *   (until `close()` gives up at its deadline).
 * - Rows QuestDB rejects (a value that does not fit a column): the batch is split around the line
 *   QuestDB names (or in halves) until the bad rows stand alone; those go to the dead-letter list
 *   with QuestDB's reason, the rest is stored.
 */

export interface RejectedRow {
  row: Row;
  table: string;
  reason: string;
  at: Date;
}

export interface WriterOptions {
  connection: QuestDbConnectionInput;
  /** Most rows held (waiting plus being sent) before `write()` waits. */
  maxBufferedRows?: number;
  /** Most rows per request; a full batch is sent at once. */
  batchRows?: number;
  /** How long a row may wait for its batch to fill. */
  flushIntervalMs?: number;
  /** Most requests in flight at once (2); while QuestDB fails, only those already out are retried. */
  maxInFlight?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  /** How many rejected rows `deadLetters()` keeps (the most recent). */
  deadLetterLimit?: number;
  /**
   * Runs before each batch for every table in it, e.g. to create the table with its dedup keys and
   * add new columns. A thrown error is retried like a failed send, unless it has `permanent: true`,
   * in which case that table's rows in the batch are rejected with its message.
   */
  prepareTable?: (table: string, rows: readonly Row[]) => Promise<void>;
  /** Called for every rejected row (besides the per-write callback). */
  onRejected?: (rejected: RejectedRow) => void;
  log?: LogFn;
}

export interface WriteOptions {
  /** Called if QuestDB rejects this row, after `write()` has resolved. */
  onRejected?: (rejected: RejectedRow) => void;
}

export type WriterState = 'idle' | 'sending' | 'retrying' | 'closed';

export interface WriterStats {
  /** Rows QuestDB accepted. */
  written: number;
  /** Requests repeated after a transient failure. */
  retried: number;
  /** Rows QuestDB refused for good (they are in the dead-letter list). */
  rejected: number;
  /** Rows waiting or being sent. */
  buffered: number;
  /** Requests QuestDB accepted. */
  batches: number;
  /** Rows dropped because `close()` reached its deadline before QuestDB took them. */
  unsent: number;
  state: WriterState;
  lastError?: string;
}

export interface Writer {
  /** Resolves once the row is in the buffer (waits while the buffer is full); rejects an invalid row with InvalidRowError. */
  write(row: Row, options?: WriteOptions): Promise<void>;
  /** Buffers the row if there is room right now; false when full. Throws InvalidRowError for an invalid row. */
  tryWrite(row: Row, options?: WriteOptions): boolean;
  /** Resolves when every row written before the call is stored or rejected. */
  flush(): Promise<void>;
  /** As `flush()`, but a partial batch goes early only while no request is out (see batchWait); given-up rows count too. */
  stored(): Promise<void>;
  /** Sends what is buffered (retrying until `timeoutMs`), then stops; rows still unsent are counted in `unsent`. */
  close(options?: { timeoutMs?: number }): Promise<{ unsent: number }>;
  readonly paused: boolean;
  onPausedChange(listener: (paused: boolean) => void): () => void;
  stats(): WriterStats;
  deadLetters(): RejectedRow[];
}

export class WriterClosedError extends Error {
  readonly code = 'QUESTDB_WRITER_CLOSED';
  constructor() {
    super('the QuestDB writer is closed');
    this.name = 'WriterClosedError';
  }
}

type Entry = { row: PreparedRow; seq: number; at: number; onRejected: ((r: RejectedRow) => void) | undefined };

const isPermanent = (err: unknown) => err instanceof Error && (err as { permanent?: unknown }).permanent === true;

export function createWriter(options: WriterOptions): Writer {
  const connection = questDbConnection(options.connection);
  const batchRows = Math.max(1, options.batchRows ?? 1000);
  const flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 250);
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 2));
  const retryInitialMs = Math.max(1, options.retryInitialMs ?? 100);
  const retryMaxMs = Math.max(retryInitialMs, options.retryMaxMs ?? 5000);
  const deadLetterLimit = Math.max(0, options.deadLetterLimit ?? 1000);
  const log: LogFn = options.log ?? (() => undefined);
  const queue = createBoundedQueue<Entry>({ capacity: Math.max(batchRows, options.maxBufferedRows ?? 10_000) });
  const ilp: IlpSender = createIlpSender({ connection, requestTimeoutMs: options.requestTimeoutMs ?? 10_000, log });

  const stats = { written: 0, retried: 0, rejected: 0, batches: 0, unsent: 0 };
  let state: WriterState = 'idle';
  let lastError: string | undefined;
  const dead: RejectedRow[] = [];
  let nextSeq = 0;
  let finishedSeq = 0;
  const flushWaiters: { target: number; resolve: () => void }[] = [];
  let flushRequested = 0;
  let closing = false;
  let deadline = Infinity;
  /** Sleepers to wake early: the loop's wait for a batch to fill (batch full, flush, close) and back-offs (close only). */
  const loopWakers = new Set<() => void>();
  const backOffWakers = new Set<() => void>();

  const wakeAll = (wakers: Set<() => void>) => {
    // Called for every row written while a full batch waits for a free request: mostly nobody sleeps.
    if (wakers.size === 0) return;
    const all = [...wakers];
    wakers.clear();
    all.forEach((w) => w());
  };
  const nudge = () => wakeAll(loopWakers);

  /** Waits for `ms`, or less when woken through `wakers`. */
  const sleep = (ms: number, wakers: Set<() => void>) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });

  function finish(entries: readonly Entry[]): void {
    for (const e of entries) if (e.seq > finishedSeq) finishedSeq = e.seq;
    // Targets are taken from the growing nextSeq, so the waiters are in target order.
    let ready = 0;
    while (ready < flushWaiters.length && (flushWaiters[ready] as { target: number }).target <= finishedSeq) ready++;
    if (ready === 0) return;
    for (const w of flushWaiters.splice(0, ready)) w.resolve();
  }

  function reject(entry: Entry, reason: string): void {
    const rejected: RejectedRow = { row: entry.row.source, table: entry.row.table, reason, at: new Date() };
    stats.rejected++;
    if (deadLetterLimit > 0) {
      dead.push(rejected);
      if (dead.length > deadLetterLimit) dead.splice(0, dead.length - deadLetterLimit);
    }
    for (const cb of [entry.onRejected, options.onRejected]) {
      try {
        cb?.(rejected);
      } catch (err) {
        log('error', `rejected-row callback failed: ${(err as Error).message}`);
      }
    }
  }

  function noteFailure(reason: string): void {
    if (state !== 'retrying') log('warn', `${describeConnection(connection)}: ${reason}; retrying`);
    state = 'retrying';
    lastError = reason;
    stats.retried++;
  }

  const noteSuccess = () => {
    if (state === 'retrying') log('info', `${describeConnection(connection)} accepts rows again`);
    state = 'sending';
  };

  let backoff = retryInitialMs;
  /** Sleeps before the next attempt; false when close()'s deadline has passed and the rows must be given up. */
  async function backOff(): Promise<boolean> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    const jitter = 0.8 + Math.random() * 0.4;
    await sleep(Math.min(backoff * jitter, remaining), backOffWakers);
    backoff = Math.min(backoff * 2, retryMaxMs);
    return Date.now() < deadline;
  }

  /** Runs prepareTable for each table of the batch; returns the entries that may be sent, undefined when giving up. */
  async function prepare(batch: Entry[]): Promise<Entry[] | undefined> {
    const hook = options.prepareTable;
    if (!hook) return batch;
    const byTable = new Map<string, Entry[]>();
    for (const e of batch) {
      const list = byTable.get(e.row.table);
      if (list) list.push(e);
      else byTable.set(e.row.table, [e]);
    }
    let keep = batch;
    for (const [table, entries] of byTable) {
      for (;;) {
        try {
          await hook(table, entries.map((e) => e.row.source));
          break;
        } catch (err) {
          const reason = `preparing table "${table}" failed: ${(err as Error).message}`;
          if (isPermanent(err)) {
            for (const e of entries) reject(e, reason);
            keep = keep.filter((e) => e.row.table !== table);
            break;
          }
          noteFailure(reason);
          if (!(await backOff())) return undefined;
        }
      }
    }
    return keep;
  }

  /** Sends the batch, splitting rejected requests until the bad rows stand alone. */
  async function deliver(batch: Entry[]): Promise<void> {
    const ready = await prepare(batch);
    if (!ready) return abandon(batch);
    const chunks: Entry[][] = ready.length ? [ready] : [];
    while (chunks.length) {
      const chunk = chunks[0] as Entry[];
      try {
        state = state === 'retrying' ? state : 'sending';
        await ilp.send(chunk.map((e) => e.row));
        chunks.shift();
        noteSuccess();
        backoff = retryInitialMs;
        stats.written += chunk.length;
        stats.batches++;
      } catch (err) {
        const failure =
          err instanceof IngestFailureError ? err.failure : { kind: 'transient' as const, reason: String(err) };
        if (failure.kind === 'transient') {
          noteFailure(failure.reason);
          if (!(await backOff())) return abandon(chunks.flat());
          continue;
        }
        // A rejection is an answer: QuestDB is up, so the back-off starts afresh.
        noteSuccess();
        backoff = retryInitialMs;
        chunks.shift();
        if (chunk.length === 1) {
          reject(chunk[0] as Entry, failure.reason);
          continue;
        }
        const line = failure.line;
        const parts =
          line !== undefined && line >= 1 && line <= chunk.length
            ? [chunk.slice(0, line - 1), chunk.slice(line - 1, line), chunk.slice(line)]
            : [chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1)];
        chunks.unshift(...parts.filter((p) => p.length > 0));
      }
    }
  }

  function abandon(entries: readonly Entry[]): void {
    stats.unsent += entries.length;
    const why = lastError ?? 'not sent in time';
    if (entries.length) log('error', `${describeConnection(connection)}: gave up on ${entries.length} rows at close: ${why}`);
  }

  /** A partly filled batch waits for more rows, up to flushIntervalMs, unless a flush or close is asking for it. */
  function batchWait(): number {
    if (queue.length >= batchRows || closing || flushRequested > finishedSeq) return 0;
    // Callers of stored() (held PUBACKs) send no more rows until answered: the batch would not fill.
    // With a request out, rows meanwhile ride along on the next one.
    if (running === 0 && flushWaiters.length > 0) return 0;
    const first = queue.peek();
    return first ? flushIntervalMs - (Date.now() - first.at) : 0;
  }

  /** Batches in the order they were taken; `flush()` is answered in that order, whichever request ends first. */
  const inFlight: { batch: Entry[]; done: boolean }[] = [];
  let running = 0;
  const requestWakers = new Set<() => void>();
  const requestDone = () => new Promise<void>((resolve) => requestWakers.add(resolve));

  async function deliverInTurn(slot: { batch: Entry[]; done: boolean }): Promise<void> {
    try {
      await deliver(slot.batch);
    } catch (err) {
      // deliver handles every expected failure; this keeps the writer alive on a bug and drops nothing silently.
      log('error', `writer loop error: ${(err as Error).stack ?? String(err)}`);
      abandon(slot.batch);
    }
    // Every row of this batch is now stored, rejected or given up.
    slot.done = true;
    running--;
    queue.release(slot.batch.length);
    while (inFlight[0]?.done) finish((inFlight.shift() as { batch: Entry[] }).batch);
    wakeAll(requestWakers);
  }

  async function run(): Promise<void> {
    for (;;) {
      if (queue.length === 0) {
        if (closing) break;
        if (running === 0) state = 'idle';
        await Promise.race([queue.whenNotEmpty(), requestDone()]);
        continue;
      }
      // A failing QuestDB is retried by the requests already out, not by more of them.
      if (running >= maxInFlight || (running > 0 && state === 'retrying')) {
        await requestDone();
        continue;
      }
      const wait = batchWait();
      if (wait > 0) {
        await sleep(wait, loopWakers);
        continue;
      }
      const slot = { batch: queue.take(batchRows), done: false };
      inFlight.push(slot);
      running++;
      void deliverInTurn(slot);
    }
    while (running > 0) await requestDone();
    state = 'closed';
    // Rows refused by the closed queue while waiting for room never reach finish(): nobody waits for them forever.
    for (const w of flushWaiters.splice(0)) w.resolve();
  }

  const loop = run();

  /** Resolves once every row written so far is finished; `flush` has the batch go at once. */
  function whenFinished(flush: boolean): Promise<void> {
    const target = nextSeq;
    if (target <= finishedSeq || state === 'closed') return Promise.resolve();
    if (flush) flushRequested = Math.max(flushRequested, target);
    return new Promise<void>((resolve) => {
      flushWaiters.push({ target, resolve });
      if (flush || running === 0) nudge();
    });
  }

  function enqueue(row: Row, opts: WriteOptions | undefined, mode: 'put' | 'offer'): Promise<void> | boolean {
    if (closing) throw new WriterClosedError();
    const entry: Entry = { row: prepareRow(row), seq: nextSeq + 1, at: Date.now(), onRejected: opts?.onRejected };
    if (mode === 'offer' && !queue.offer(entry)) return false;
    nextSeq = entry.seq;
    const result = mode === 'offer' ? true : queue.put(entry);
    if (queue.length >= batchRows) nudge();
    return result;
  }

  return {
    write(row, opts) {
      try {
        return enqueue(row, opts, 'put') as Promise<void>;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    tryWrite(row, opts) {
      return enqueue(row, opts, 'offer') as boolean;
    },
    flush: () => whenFinished(true),
    stored: () => whenFinished(false),
    async close(opts = {}) {
      if (!closing) {
        closing = true;
        deadline = Date.now() + (opts.timeoutMs ?? 10_000);
        queue.close(new WriterClosedError());
        nudge();
        wakeAll(backOffWakers);
      }
      await loop;
      await ilp.close().catch((err: unknown) => log('warn', `closing the ILP client: ${(err as Error).message}`));
      state = 'closed';
      return { unsent: stats.unsent };
    },
    get paused() {
      return queue.paused;
    },
    onPausedChange: (listener) => queue.onPausedChange(listener),
    stats: () => ({ ...stats, buffered: queue.size, state, ...(lastError !== undefined ? { lastError } : {}) }),
    deadLetters: () => [...dead],
  };
}
