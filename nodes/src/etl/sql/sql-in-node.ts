import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext, type NodeHandlers, type Send } from '@gridflow/runtime';
import { numberish, stringish } from '../../shared/typed-value.js';
import { partsIdOf, pieceOf } from '../messages.js';
import { jobHandle, type JobHandle } from '../services.js';
import type { SqlDriver, SqlRow } from './driver.js';
import { bindValues, compileParams, sqlParamSchema } from './params.js';
import { compileNamedQuery } from './placeholders.js';
import { sqlError } from './sql-errors.js';
import { connectionOf, openDriver } from './use-connection.js';

const sqlInConfig = z.object({
  name: stringish(),
  connection: stringish().pipe(z.string().min(1, 'choose a SQL connection')),
  /** Fixed here: a message supplies values (`:name`, `$1`, `?`), never SQL text. */
  sql: stringish().pipe(z.string().trim().min(1, 'the SQL query is required')),
  params: z.array(sqlParamSchema).default([]),
  /** rows: one message with every row; page: a message per page of rows; row: a message per row. */
  output: z.enum(['rows', 'page', 'row']).default('rows'),
  pageSize: numberish(1000).pipe(z.number().int().min(1, 'page size must be at least 1').max(100_000, 'page size must be at most 100000')),
  /** With output "rows", a bigger result fails instead of filling memory. */
  maxRows: numberish(100_000).pipe(z.number().int().min(1, 'max rows must be at least 1')),
  /** Inside a job run: stop reading while the writers downstream hold this many rows not yet stored. */
  holdLimit: numberish(20_000).pipe(z.number().int().min(1)),
});
type SqlInConfig = z.infer<typeof sqlInConfig>;

// Statements that return rows are read through a cursor; others (UPDATE, CALL) report affected rows.
const RETURNS_ROWS = /^\s*(\(?\s*select|with|show|values|table|explain|describe|desc)\b/i;

async function createSqlIn(ctx: NodeContext, c: SqlInConfig): Promise<NodeHandlers> {
  const where = `sql in ${ctx.id}`;
  const conn = connectionOf(ctx, c.connection, 'sql in');
  const { dialectOf } = await import('./dialect.js');
  const query = compileNamedQuery(c.sql, dialectOf(conn.driver));
  const params = compileParams(ctx, c.params);
  let closed = false;

  const showStatus = (text: string, fill: 'green' | 'blue' | 'red' = 'green') => {
    if (!closed) ctx.status({ fill, shape: 'dot', text });
  };

  async function allRows(driver: SqlDriver, values: unknown[], msg: Msg, job: JobHandle): Promise<Msg> {
    if (!RETURNS_ROWS.test(query.text)) {
      const result = await driver.query(query.text, values);
      job.read(0, { message: `${result.rowCount} rows affected` });
      return { ...msg, payload: result.rows, rowCount: result.rowCount, columns: result.fields };
    }
    const rows: SqlRow[] = [];
    for await (const page of driver.pages(query.text, values, Math.min(c.pageSize, c.maxRows + 1))) {
      for (const r of page) rows.push(r);
      if (rows.length > c.maxRows) {
        throw new Error(`the result has more than ${c.maxRows} rows: use output "page" or "row" to stream it, or raise max rows`);
      }
    }
    job.read(rows.length);
    return { ...msg, payload: rows, rowCount: rows.length };
  }

  /**
   * Page and row output: a page is read from the server only after the previous one was sent and
   * the flows downstream have room, so memory holds a few pages whatever the result's size. Each
   * message is sent once the next is known, so that the last can carry `parts.count`.
   */
  async function stream(driver: SqlDriver, values: unknown[], msg: Msg, send: Send, job: JobHandle): Promise<number> {
    const id = partsIdOf(msg);
    let held: { payload: unknown; index: number } | undefined;
    let index = 0;
    let total = 0;
    let pageNo = 0;
    const emit = (last: boolean) => {
      if (held) send(pieceOf(msg, held.payload, id, held.index, last, last ? { rowCount: total } : {}));
    };
    for await (const page of driver.pages(query.text, values, c.pageSize)) {
      pageNo++;
      total += page.length;
      job.read(page.length, { message: `page ${pageNo}` });
      for (const payload of c.output === 'row' ? page : [page]) {
        emit(false);
        held = { payload, index: index++ };
      }
      if (pageNo % 10 === 0) showStatus(`${total} rows`, 'blue');
      // Leaving the loop closes the cursor: on close, or when the job run already ended (timed out).
      if (closed || !job.running) break;
      if (ctx.flowControl.paused) await ctx.flowControl.ready();
      if (!(await job.room(c.holdLimit))) break;
    }
    // No rows: one message with an empty page, so that what waits for the result (a job run) hears of it.
    if (!held) held = { payload: [], index: index++ };
    emit(true);
    return total;
  }

  return {
    async input(msg: Msg, send: Send, done: Done) {
      const job = jobHandle(ctx, msg);
      showStatus('querying', 'blue');
      try {
        let values: unknown[];
        try {
          values = await bindValues(query, params, msg);
        } catch (err) {
          throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
        }
        const driver = await openDriver(conn, where);
        try {
          if (c.output === 'rows') {
            const out = await allRows(driver, values, msg, job);
            send(out);
            showStatus(`${String(out['rowCount'])} rows`);
          } else {
            const total = await stream(driver, values, msg, send, job);
            showStatus(`${total} rows`);
          }
        } catch (err) {
          throw sqlError(`${where} (${conn.label})`, err, c.sql);
        }
        done();
      } catch (err) {
        showStatus((err as Error).message.slice(0, 60), 'red');
        job.problem((err as Error).message);
        done(err);
      }
    },
    close() {
      closed = true;
    },
  };
}

export const sqlInNode = defineNode({
  type: 'sql in',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: sqlInConfig,
  label: 'sql in',
  paletteLabel: 'sql in',
  icon: 'font-awesome/fa-database',
  color: '#e2d96e',
  outputLabels: ['rows'],
  create: createSqlIn,
  help: `Runs a **parameterised** query on PostgreSQL, MySQL / MariaDB or QuestDB (a *sql connection*)
for each message. The SQL is fixed in the node: a message supplies values, never SQL text.

**Parameters**: \`:name\` placeholders take the node's parameter of that name (a typed value:
msg, flow, global, env, str, num, ...) or \`msg.params.name\`; positional \`$1\` / \`?\` take the
node's list in order, else the array \`msg.params\`.

**Output**
- *rows*: one message, \`msg.payload\` the rows (at most *max rows*, more fail the message).
- *page*: a message per *page size* rows; *row*: a message per row. Rows are read from the
  database through a cursor only as the flows downstream keep up, so a result of any size runs in
  bounded memory. The messages carry \`msg.parts\` (the last one with \`count\`, and \`msg.rowCount\`),
  so a join node or the schedule of a job run knows when all arrived.

A failed query fails the message with the database's error and the statement.`,
});
