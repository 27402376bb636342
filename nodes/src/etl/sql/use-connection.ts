import type { NodeContext } from '@gridflow/runtime';
import type { SqlConnectionApi } from './connection-node.js';
import type { SqlDriver } from './driver.js';

/** The sql-connection config node a `sql in` / `sql out` names; fails the deploy of the node when it is missing. */
export function connectionOf(ctx: NodeContext, id: string, what: string): SqlConnectionApi {
  const conn = ctx.configNode<SqlConnectionApi>(id);
  if (!conn) throw new Error(`${what} ${ctx.id}: SQL connection "${id}" is missing or did not start`);
  return conn;
}

/** Opens (or reuses) the pool; a failure names the node and the database. */
export async function openDriver(conn: SqlConnectionApi, where: string): Promise<SqlDriver> {
  try {
    return await conn.open();
  } catch (err) {
    throw new Error(`${where}: cannot connect to ${conn.label}: ${(err as Error).message}`, { cause: err });
  }
}
