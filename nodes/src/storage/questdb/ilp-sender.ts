import type { Sender } from '@questdb/nodejs-client';
import { ilpConfigString, type QuestDbConnection } from './connection.js';
import { classifyIngestError, type IngestFailure } from './ingest-errors.js';
import { encodeRow, type PreparedRow } from './row.js';

export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void;

/** One ILP/HTTP request per call: encodes rows, sends them, and says what a failure means for them. */
export interface IlpSender {
  /** Resolves when QuestDB accepted every row; rejects with an IngestFailureError otherwise. */
  send(rows: readonly PreparedRow[]): Promise<void>;
  close(): Promise<void>;
}

export class IngestFailureError extends Error {
  constructor(readonly failure: IngestFailure) {
    super(failure.reason);
    this.name = 'IngestFailureError';
  }
}

export interface IlpSenderOptions {
  connection: QuestDbConnection;
  requestTimeoutMs: number;
  log?: LogFn;
}

/**
 * The client is created lazily (and again after a failed creation): with protocol_version=auto it
 * asks the server's /settings, which fails while QuestDB is down, and that is just one more retry.
 * Its own retrying is switched off (retry_timeout=0, node's http module) so that every retry goes
 * through the writer's back-off and is counted there.
 */
export function createIlpSender(options: IlpSenderOptions): IlpSender {
  let sender: Sender | undefined;
  let creating: Promise<Sender> | undefined;

  async function getSender(): Promise<Sender> {
    if (sender) return sender;
    creating ??= (async () => {
      const { Sender } = await import('@questdb/nodejs-client');
      const config = ilpConfigString(options.connection, {
        auto_flush: 'off',
        retry_timeout: 0,
        stdlib_http: 'on',
        request_timeout: options.requestTimeoutMs,
      });
      const log = options.log;
      return Sender.fromConfig(config, {
        log: (level: string, message: unknown) => {
          if (log && (level === 'warn' || level === 'error')) log(level, `QuestDB client: ${String(message)}`);
        },
      });
    })();
    try {
      sender = await creating;
      return sender;
    } finally {
      creating = undefined;
    }
  }

  return {
    async send(rows) {
      let s: Sender;
      try {
        s = await getSender();
      } catch (err) {
        throw new IngestFailureError({ kind: 'transient', reason: `cannot open the ILP client: ${classifyIngestError(err).reason}` });
      }
      // The buffer is rebuilt on every attempt: the client empties it before sending, even when the send fails.
      s.reset();
      for (let i = 0; i < rows.length; i++) {
        try {
          await encodeRow(s, rows[i] as PreparedRow);
        } catch (err) {
          s.reset();
          throw new IngestFailureError({ kind: 'rejected', status: 0, reason: (err as Error).message, line: i + 1 });
        }
      }
      try {
        await s.flush();
      } catch (err) {
        throw new IngestFailureError(classifyIngestError(err));
      }
    },
    async close() {
      const s = sender;
      sender = undefined;
      if (!s) return;
      s.reset();
      await s.close();
    },
  };
}
