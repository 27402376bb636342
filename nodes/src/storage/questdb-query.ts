import { z } from 'zod';
import {
  cloneMessage,
  defineNode,
  generateId,
  type Done,
  type Msg,
  type NodeContext,
  type NodeHandlers,
  type Send,
} from '@gridflow/runtime';
import { compileTypedValue, numberish, typedInputTypeSchema, type TypedValue } from '../shared/typed-value.js';
import type { QuestDbConfigApi } from './questdb-config.js';
import type { ColumnInfo, ResultRow } from './questdb/sql-client.js';
import type { SqlParam } from './questdb/sql-params.js';

const questDbQueryConfig = z.object({
  name: z.string().default(''),
  questdb: z.string({ error: 'choose a QuestDB connection' }).min(1, 'choose a QuestDB connection'),
  /** The SQL, with $1..$n where values go. It is fixed here: a message supplies values, never SQL. */
  sql: z.string().trim().min(1, 'the SQL query is required'),
  /** Where $1..$n come from (typed inputs). None: msg.params, an array of values. */
  params: z.array(z.object({ type: typedInputTypeSchema.default('msg'), value: z.string().default('') })).default([]),
  /** rows: one message with every row; row: a message per row; page: a message per page of rows. */
  output: z.enum(['rows', 'row', 'page']).default('rows'),
  pageRows: numberish(1000).pipe(z.number().int().min(1)),
  /** With output "rows", a bigger result fails instead of filling memory. */
  maxRows: numberish(100_000).pipe(z.number().int().min(1)),
});
type QuestDbQueryConfig = z.infer<typeof questDbQueryConfig>;

async function createQuestDbQuery(ctx: NodeContext, c: QuestDbQueryConfig): Promise<NodeHandlers> {
  const config = ctx.configNode<QuestDbConfigApi>(c.questdb);
  if (!config)
    throw new Error(`questdb query ${ctx.id}: QuestDB connection "${c.questdb}" is missing or did not start`);
  const params: TypedValue[] = c.params.map((p, i) => {
    try {
      return compileTypedValue(ctx, p.value, p.type);
    } catch (err) {
      throw new Error(`questdb query ${ctx.id}: parameter $${i + 1}: ${(err as Error).message}`);
    }
  });
  // Checked at deploy, so a wrong number of parameters fails the node instead of every message.
  const { checkParams, QuestDbParamError } = await import('./questdb/sql-params.js');
  if (params.length)
    checkParams(
      c.sql,
      params.map(() => null),
    );
  const sql = await config.sql();

  /** The values for $1..$n; typed as SqlParam because the SQL client checks each one before sending. */
  async function values(msg: Msg): Promise<SqlParam[]> {
    if (params.length) return (await Promise.all(params.map((p) => p.getAsync(msg)))) as SqlParam[];
    const fromMsg = msg['params'];
    if (fromMsg === undefined) return [];
    if (!Array.isArray(fromMsg)) throw new QuestDbParamError('msg.params should be an array of values for $1..$n');
    return fromMsg as SqlParam[];
  }

  const part = (msg: Msg, payload: unknown, columns: ColumnInfo[], id: string, index: number): Msg => {
    const out = cloneMessage(msg);
    out.payload = payload;
    out['columns'] = columns;
    out['parts'] = { id, index, type: 'array' };
    return out;
  };

  /** row / page output: each message is sent once the next is known, so the last can carry parts.count. */
  async function stream(msg: Msg, args: SqlParam[], send: Send): Promise<number> {
    const id = generateId();
    let held: Msg | undefined;
    let index = 0;
    let total = 0;
    for await (const page of sql.pages<ResultRow>(c.sql, args, { pageRows: c.pageRows })) {
      total += page.rows.length;
      const items = c.output === 'row' ? page.rows : page.rows.length || page.index === 0 ? [page.rows] : [];
      for (const item of items) {
        if (held) send(held);
        held = part(msg, item, page.columns, id, index++);
      }
      // A page at a time: when the flows downstream are saturated, stop reading until they drain.
      if (ctx.flowControl.paused) await ctx.flowControl.ready();
    }
    if (held) {
      (held['parts'] as { count?: number }).count = index;
      send(held);
    }
    return total;
  }

  return {
    async input(msg: Msg, send: Send, done: Done) {
      try {
        const args = await values(msg);
        if (c.output !== 'rows') {
          await stream(msg, args, send);
          return done();
        }
        const rows: ResultRow[] = [];
        let columns: ColumnInfo[] = [];
        for await (const page of sql.pages<ResultRow>(c.sql, args, { pageRows: Math.min(c.pageRows, c.maxRows + 1) })) {
          columns = page.columns;
          for (const r of page.rows) rows.push(r);
          if (rows.length > c.maxRows) {
            throw new Error(`the result has more than ${c.maxRows} rows; use output "page" or "row", or raise maxRows`);
          }
        }
        msg.payload = rows;
        msg['columns'] = columns;
        msg['rowCount'] = rows.length;
        send(msg);
        done();
      } catch (err) {
        done(new Error(`questdb query ${ctx.id}: ${(err as Error).message}`));
      }
    },
  };
}

export const questDbQueryNode = defineNode({
  type: 'questdb query',
  version: 1,
  category: 'storage',
  inputs: 1,
  outputs: 1,
  label: 'questdb query',
  paletteLabel: 'questdb query',
  icon: 'font-awesome/fa-search',
  color: '#d7b5e4',
  config: questDbQueryConfig,
  create: createQuestDbQuery,
  help: `Runs a SQL query on QuestDB (PostgreSQL wire) for each message.

The SQL is set in the node, with \`$1\`..\`$n\` where values go; the values come from the
*parameters* (message properties, context, constants) or, when none are set, from \`msg.params\`
(an array). Message content is never pasted into the SQL.

- **rows**: one message, \`msg.payload\` the array of rows, \`msg.columns\`, \`msg.rowCount\`.
- **row** / **page**: a message per row or per page of rows, with \`msg.parts\` (the last one
  carries \`parts.count\`), read through a cursor so a large result is never held whole.

Errors (bad SQL, wrong parameters) go to catch nodes with QuestDB's message and the position in the query.`,
});
