import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';
import type { TlsConfigApi } from '../../device/tls-config.js';
import type { SqlDriverName } from './dialect.js';
import type { SqlConnectionOptions, SqlDriver } from './driver.js';

const DEFAULT_PORTS: Record<SqlDriverName, number> = { postgres: 5432, mysql: 3306, questdb: 8812 };

const connectionConfig = z.object({
  name: stringish(),
  driver: z.enum(['postgres', 'mysql', 'questdb']).default('postgres'),
  host: stringish('127.0.0.1').pipe(z.string().min(1, 'the database host is required')),
  /** Blank: the driver's default (5432, 3306, QuestDB 8812). */
  port: numberish(0).pipe(z.number().int().min(0).max(65535, 'port must be at most 65535')),
  user: stringish(''),
  password: stringish(''),
  database: stringish(''),
  /** Connect over TLS; with a tls-config node for CAs and client certificates. */
  tls: boolish(false),
  tlsConfig: stringish(''),
  poolSize: numberish(5).pipe(z.number().int().min(1, 'pool size must be at least 1').max(100, 'pool size must be at most 100')),
  /** Seconds to wait for a connection. */
  connectTimeout: numberish(10).pipe(z.number().min(1)),
  /** QuestDB only: its HTTP port, for fast loading over ILP (sql out). */
  httpPort: numberish(9000).pipe(z.number().int().min(1).max(65535, 'port must be at most 65535')),
});

/** What `sql in` and `sql out` get from their connection node. */
export interface SqlConnectionApi {
  readonly driver: SqlDriverName;
  /** A label for messages: "postgres 127.0.0.1:5432/test". */
  readonly label: string;
  /** The pool, opened at first use and shared by every node using this connection. */
  open(): Promise<SqlDriver>;
  /** QuestDB: where ILP over HTTP goes (sql out's fast path). */
  readonly questdb?: { host: string; httpPort: number; user: string; password: string; tls: boolean };
}

const defaultUser = (d: SqlDriverName) => (d === 'questdb' ? 'admin' : d === 'mysql' ? 'root' : 'postgres');

export const sqlConnectionNode = defineNode<typeof connectionConfig, SqlConnectionApi>({
  type: 'sql-connection',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'SQL connection',
  config: connectionConfig,
  help: `A database for **sql in** and **sql out**: PostgreSQL, MySQL / MariaDB, or QuestDB over its
PostgreSQL wire protocol (port 8812, user admin, password quest, database qdb). One pool of
*pool size* connections is shared by the nodes that use it.`,
  create(ctx, c) {
    const port = c.port || DEFAULT_PORTS[c.driver];
    const database = c.database || (c.driver === 'questdb' ? 'qdb' : '');
    const label = `${c.driver} ${c.host}:${port}${database ? `/${database}` : ''}`;
    let opened: Promise<SqlDriver> | undefined;
    const api: SqlConnectionApi = {
      driver: c.driver,
      label,
      ...(c.driver === 'questdb'
        ? { questdb: { host: c.host, httpPort: c.httpPort, user: c.user || 'admin', password: c.password || 'quest', tls: c.tls || Boolean(c.tlsConfig) } }
        : {}),
      open() {
        opened ??= (async () => {
          let tls: Record<string, unknown> | undefined;
          if (c.tls || c.tlsConfig) {
            const tlsNode = c.tlsConfig ? ctx.configNode<TlsConfigApi>(c.tlsConfig) : undefined;
            if (c.tlsConfig && !tlsNode) throw new Error(`sql-connection ${ctx.id}: TLS config "${c.tlsConfig}" is missing or did not start`);
            tls = tlsNode ? { ...tlsNode.options() } : { rejectUnauthorized: true };
          }
          const options: SqlConnectionOptions = {
            driver: c.driver,
            host: c.host,
            port,
            user: c.user || defaultUser(c.driver),
            password: c.password || (c.driver === 'questdb' ? 'quest' : ''),
            database,
            poolSize: c.poolSize,
            connectTimeoutMs: c.connectTimeout * 1000,
            ...(tls ? { tls } : {}),
            onIdleError: (err) => ctx.warn(`sql-connection ${ctx.id} (${label}): idle connection error: ${err.message}`),
          };
          if (c.driver === 'mysql') return (await import('./mysql-driver.js')).createMysqlDriver(options);
          return (await import('./pg-driver.js')).createPgDriver(options);
        })();
        return opened;
      },
    };
    return {
      api,
      async close() {
        const pool = opened;
        opened = undefined;
        if (!pool) return;
        try {
          await (await pool).close();
        } catch (err) {
          ctx.warn(`sql-connection ${ctx.id}: closing the pool: ${(err as Error).message}`);
        }
      },
    };
  },
});
