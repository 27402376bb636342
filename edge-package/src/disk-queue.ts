import Database from 'better-sqlite3';

/** A queued item with its message as the JSON text on disk (the forwarder sends it unparsed). */
export interface RawItem {
  seq: number;
  time: number;
  channel: string;
  json: string;
}

export interface QueuedItem {
  seq: number;
  time: number;
  channel: string;
  msg: Record<string, unknown>;
}

/** An item to queue; `msg` may come already as JSON text (the uplink serializes once). */
export interface NewItem {
  time: number;
  channel: string;
  msg: Record<string, unknown> | string;
}

export interface DiskQueueOptions {
  file: string;
  /** Most items kept; when full, the oldest are dropped and counted (the stated policy). */
  limit: number;
}

export interface DiskQueue {
  /** Appends in one transaction; returns the sequence numbers given. */
  append(items: NewItem[]): number[];
  /** Items with seq > after (and <= upTo when given), oldest first. */
  read(after: number, max: number, upTo?: number): QueuedItem[];
  /** The same, with each message left as JSON text. */
  readRaw(after: number, max: number, upTo?: number): RawItem[];
  ack(seqs: readonly number[]): void;
  size(): number;
  lastSeq(): number;
  /** The lowest sequence number still queued; lastSeq() + 1 when the queue is empty. */
  firstSeq(): number;
  oldestTime(): number | null;
  dropped(): number;
  readonly limit: number;
  close(): void;
}

/**
 * The edge's store-and-forward queue: SQLite in WAL mode, so an item survives a crash of the
 * agent from the moment its transaction commits. Sequence numbers never repeat, even after a
 * restart, because they are AUTOINCREMENT keys.
 */
export function openDiskQueue(options: DiskQueueOptions): DiskQueue {
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, channel TEXT NOT NULL, msg TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO counters VALUES ('dropped', 0);
  `);
  const insert = db.prepare('INSERT INTO queue (time, channel, msg) VALUES (?, ?, ?)');
  const countStmt = db.prepare('SELECT COUNT(*) AS n FROM queue');
  const readStmt = db.prepare<[number, number, number], RawItem>(
    'SELECT seq, time, channel, msg AS json FROM queue WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  const readRaw = (after: number, max: number, upTo = Number.MAX_SAFE_INTEGER): RawItem[] =>
    readStmt.all(after, upTo, max);
  const deleteRange = db.prepare('DELETE FROM queue WHERE seq BETWEEN ? AND ?');
  const dropOldest = db.prepare('DELETE FROM queue WHERE seq IN (SELECT seq FROM queue ORDER BY seq LIMIT ?)');
  const addDropped = db.prepare("UPDATE counters SET value = value + ? WHERE name = 'dropped'");
  const droppedStmt = db.prepare("SELECT value FROM counters WHERE name = 'dropped'");
  const lastSeqStmt = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'queue'");
  const oldestStmt = db.prepare('SELECT time FROM queue ORDER BY seq LIMIT 1');
  const firstSeqStmt = db.prepare('SELECT seq FROM queue ORDER BY seq LIMIT 1');

  let count = (countStmt.get() as { n: number }).n;
  const lastSeq = () => (lastSeqStmt.get() as { seq: number } | undefined)?.seq ?? 0;

  const appendTx = db.transaction((items: NewItem[]) => {
    const seqs: number[] = [];
    for (const item of items) {
      seqs.push(
        Number(
          insert.run(item.time, item.channel, typeof item.msg === 'string' ? item.msg : JSON.stringify(item.msg))
            .lastInsertRowid,
        ),
      );
    }
    count += items.length;
    const over = count - options.limit;
    if (over > 0) {
      dropOldest.run(over);
      addDropped.run(over);
      count -= over;
    }
    return seqs;
  });
  // Acknowledged numbers come in runs (a batch is consecutive items): one range delete per run.
  const ackTx = db.transaction((seqs: readonly number[]) => {
    const sorted = [...seqs].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && (sorted[j + 1] as number) - (sorted[j] as number) <= 1) j++;
      count -= deleteRange.run(sorted[i], sorted[j]).changes;
      i = j + 1;
    }
  });

  return {
    append: (items) => (items.length ? appendTx(items) : []),
    read(after, max, upTo = Number.MAX_SAFE_INTEGER) {
      return readRaw(after, max, upTo).map((r) => ({
        seq: r.seq,
        time: r.time,
        channel: r.channel,
        msg: JSON.parse(r.json) as Record<string, unknown>,
      }));
    },
    readRaw,
    ack: (seqs) => ackTx(seqs),
    size: () => count,
    lastSeq,
    firstSeq: () => (firstSeqStmt.get() as { seq: number } | undefined)?.seq ?? lastSeq() + 1,
    oldestTime: () => (oldestStmt.get() as { time: number } | undefined)?.time ?? null,
    dropped: () => (droppedStmt.get() as { value: number }).value,
    limit: options.limit,
    close: () => db.close(),
  };
}
