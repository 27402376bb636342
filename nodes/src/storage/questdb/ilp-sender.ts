import { ilpConfigString, type QuestDbConnection } from './connection.js';
import { createIlpEncoder, RowEncodeError, type IlpEncoder } from './ilp-encoder.js';
import { classifyIngestError, type IngestFailure } from './ingest-errors.js';
import type { PreparedRow } from './row.js';

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
 * @questdb/nodejs-client finds the protocol version the server speaks; the rows are encoded here
 * (ilp-encoder.ts, the same bytes as the client's buffer at a fraction of the CPU) and the request
 * is made here. The client's own HTTP transports either drop QuestDB's error body before reading it
 * (node's http module: a rejected batch would only say "HTTP 400", with no reason and no line) or
 * abort at once when its retrying is off (undici), and every retry must go through the writer's
 * back-off anyway. The encoder is made lazily (and again after a failure): with
 * protocol_version=auto the client asks the server's /settings, which fails while QuestDB is down,
 * and that is just one more retry.
 */
export function createIlpSender(options: IlpSenderOptions): IlpSender {
  const c = options.connection;
  const url = `${c.tls ? 'https' : 'http'}://${c.host}:${c.httpPort}/write?precision=n`;
  const auth = c.user && c.password ? `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` : undefined;
  let encoder: IlpEncoder | undefined;
  let creating: Promise<IlpEncoder> | undefined;

  async function getEncoder(): Promise<IlpEncoder> {
    if (encoder) return encoder;
    creating ??= (async () => {
      const { SenderOptions } = await import('@questdb/nodejs-client');
      const config = ilpConfigString(c, { request_timeout: options.requestTimeoutMs, protocol_version: 'auto' });
      const resolved = await SenderOptions.fromConfig(config);
      return createIlpEncoder(resolved.protocol_version === '1' ? 1 : 2);
    })();
    try {
      encoder = await creating;
      return encoder;
    } finally {
      creating = undefined;
    }
  }

  async function post(data: Buffer): Promise<void> {
    // Large batches get more time, as the client library allows (100 KiB/s at least).
    const timeoutMs = options.requestTimeoutMs + Math.round((data.length / 102_400) * 1000);
    const res = await fetch(url, {
      method: 'POST',
      // A view, not a copy: DOM's fetch types (the e2e type-check) do not take a Buffer.
      body: new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength),
      headers: { 'content-type': 'text/plain', ...(auth ? { authorization: auth } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    if (res.status !== 204 && res.status !== 200)
      throw new Error(`HTTP request failed, statusCode=${res.status}, error=${body}`);
  }

  return {
    async send(rows) {
      let e: IlpEncoder;
      try {
        e = await getEncoder();
      } catch (err) {
        throw new IngestFailureError({
          kind: 'transient',
          reason: `cannot open the ILP client: ${classifyIngestError(err).reason}`,
        });
      }
      // The body is encoded again on every attempt, so a retry sends exactly the same rows.
      let data: Buffer;
      try {
        data = e.encode(rows);
      } catch (err) {
        if (!(err instanceof RowEncodeError)) throw err;
        throw new IngestFailureError({ kind: 'rejected', status: 0, reason: err.message, line: err.line });
      }
      if (data.length === 0) return;
      try {
        await post(data);
      } catch (err) {
        throw new IngestFailureError(classifyIngestError(err));
      }
    },
    async close() {
      encoder = undefined;
    },
  };
}
