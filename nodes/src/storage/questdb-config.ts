import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../shared/typed-value.js';
import type { QuestDbConnection } from './questdb/connection.js';
import type { SqlClient } from './questdb/sql-client.js';
import type { Writer, WriterOptions } from './questdb/writer.js';
import { questDbServiceKey } from './services.js';

const port = (fallback: number) => numberish(fallback).pipe(z.number().int().min(1).max(65535));

const questDbConfig = z.object({
  name: z.string().default(''),
  /** Use the QuestDB of the host running the flow (the server's own); host, ports and credentials are then ignored. */
  useHost: boolish(false),
  host: stringish('127.0.0.1').pipe(z.string().min(1, 'the QuestDB host is required')),
  /** REST and ILP over HTTP. */
  httpPort: port(9000),
  /** PostgreSQL wire protocol. */
  pgPort: port(8812),
  user: stringish('admin'),
  password: stringish('quest'),
  tls: boolish(false),
  /** Writer: most rows per ILP request. */
  batchRows: numberish(1000).pipe(z.number().int().min(1)),
  /** Writer: most rows buffered per writing node before it holds messages back. */
  maxBufferedRows: numberish(10_000).pipe(z.number().int().min(1)),
  /** Writer: longest a row waits for its batch to fill (ms). */
  flushInterval: numberish(250).pipe(z.number().min(0)),
});

/** What `questdb out` and `questdb query` get from their connection node. */
export interface QuestDbConfigApi {
  readonly connection: QuestDbConnection;
  /** The SQL client shared by every node using this connection. */
  sql(): Promise<SqlClient>;
  /** A writer of its own for a writing node, with this connection's batch settings; closed with the node (or with this one). */
  openWriter(options: Omit<WriterOptions, 'connection'>): Promise<Writer>;
}

export const questDbConfigNode = defineNode<typeof questDbConfig, QuestDbConfigApi>({
  type: 'questdb-config',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'QuestDB',
  config: questDbConfig,
  help: `A QuestDB server: host, HTTP port (ILP writes), PostgreSQL-wire port (queries), credentials
and TLS, plus the batching used by the nodes that write through it. With *use the host's QuestDB*
the connection is the one the Gridflow server started (or was configured with).`,
  create(ctx, c) {
    let connection: QuestDbConnection = {
      host: c.host,
      httpPort: c.httpPort,
      pgPort: c.pgPort,
      user: c.user,
      password: c.password,
      database: 'qdb',
      tls: c.tls,
    };
    if (c.useHost) {
      const own = ctx.service(questDbServiceKey);
      if (!own)
        throw new Error(
          `questdb-config ${ctx.id}: this host has no QuestDB of its own; untick "use the host's QuestDB" and give host and ports`,
        );
      connection = own.connection;
    }
    let sql: Promise<SqlClient> | undefined;
    const writers = new Set<Writer>();
    const api: QuestDbConfigApi = {
      connection,
      sql() {
        sql ??= import('./questdb/sql-client.js').then(({ createSqlClient }) =>
          createSqlClient({
            connection,
            log: (level, message) => (level === 'error' ? ctx.error(message) : ctx.warn(message)),
          }),
        );
        return sql;
      },
      async openWriter(options) {
        const { createWriter } = await import('./questdb/writer.js');
        const writer = createWriter({
          batchRows: c.batchRows,
          maxBufferedRows: c.maxBufferedRows,
          flushIntervalMs: c.flushInterval,
          ...options,
          connection,
        });
        writers.add(writer);
        const close = writer.close.bind(writer);
        return Object.assign(writer, {
          close: (opts?: { timeoutMs?: number }) => {
            writers.delete(writer);
            return close(opts);
          },
        });
      },
    };
    return {
      api,
      async close() {
        // Writing nodes close (and flush) their writers before their config node closes; this is for stragglers.
        await Promise.all([...writers].map((w) => w.close({ timeoutMs: 2000 })));
        const client = sql;
        sql = undefined;
        if (client) await (await client).close();
      },
    };
  },
});
