import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext, type NodeHandlers } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../shared/typed-value.js';
import { columnTypeSchema } from './questdb/column-types.js';
import { rowsFromMessage } from './msg-rows.js';
import type { QuestDbConfigApi } from './questdb-config.js';
import type { Row } from './questdb/row.js';
import type { Writer, WriterStats } from './questdb/writer.js';

/** Node-RED forms keep lists as text now and then: "device, site" is read as ["device", "site"]. */
const nameList = (fallback: string[]) =>
  z.preprocess(
    (v) =>
      v === undefined || v === null
        ? fallback
        : typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
    z.array(z.string()),
  );

const questDbOutConfig = z.object({
  name: z.string().default(''),
  questdb: z.string({ error: 'choose a QuestDB connection' }).min(1, 'choose a QuestDB connection'),
  /** The table; blank: msg.table. */
  table: stringish(''),
  /** SYMBOL columns (dedup keys with the timestamp). */
  symbols: nameList(['device']),
  /** Declared value columns; empty: every payload value, typed from its value. */
  columns: z.array(z.object({ name: z.string().min(1), type: columnTypeSchema })).default([]),
  /** Payload property holding the row time (msg.timestamp is the fallback, then now). */
  timestamp: stringish('ts'),
  /** Create the table with its dedup keys before the first row, and add new columns as they come. */
  createTable: boolish(true),
  /** Also create 1m/1h/1d downsampling views (with createTable). */
  downsample: boolish(false),
  /** Drop partitions older than this many days (0: keep everything). */
  ttlDays: numberish(0).pipe(z.number().int().min(0)),
});
type QuestDbOutConfig = z.infer<typeof questDbOutConfig>;

function statusOf(s: WriterStats): { fill: 'green' | 'yellow' | 'red' | 'grey'; shape: 'dot' | 'ring'; text: string } {
  if (s.state === 'retrying')
    return {
      fill: 'yellow',
      shape: 'ring',
      text: `retrying (${s.buffered} buffered): ${s.lastError ?? ''}`.slice(0, 80),
    };
  const text = `${s.written} written${s.buffered ? `, ${s.buffered} buffered` : ''}${s.rejected ? `, ${s.rejected} rejected` : ''}`;
  return { fill: s.rejected ? 'red' : 'green', shape: 'dot', text };
}

async function createQuestDbOut(ctx: NodeContext, c: QuestDbOutConfig): Promise<NodeHandlers> {
  const config = ctx.configNode<QuestDbConfigApi>(c.questdb);
  if (!config) throw new Error(`questdb out ${ctx.id}: QuestDB connection "${c.questdb}" is missing or did not start`);
  let prepareTable: ((table: string, rows: readonly Row[]) => Promise<void>) | undefined;
  if (c.createTable) {
    const { createTablePreparer } = await import('./questdb/schema-sync.js');
    prepareTable = createTablePreparer({
      sql: await config.sql(),
      symbols: c.symbols,
      timestamp: c.timestamp,
      ...(c.ttlDays > 0 ? { ttl: { value: c.ttlDays, unit: 'DAYS' as const } } : {}),
      ...(c.downsample ? { views: {} } : {}),
      log: (level, message) => (level === 'warn' ? ctx.warn(message) : ctx.log(message)),
    });
  }
  const writer: Writer = await config.openWriter({
    ...(prepareTable ? { prepareTable } : {}),
    log: (level, message) => (level === 'info' ? ctx.log(message) : ctx.warn(message)),
  });

  let shown = '';
  const showStatus = () => {
    const status = statusOf(writer.stats());
    const key = `${status.fill}|${status.text}`;
    if (key === shown) return;
    shown = key;
    ctx.status(status);
  };
  ctx.timers.setInterval(showStatus, 1000);

  return {
    async input(msg: Msg, _send, done: Done) {
      let rows;
      try {
        rows = rowsFromMessage(msg, c);
      } catch (err) {
        return done(new Error(`questdb out ${ctx.id}: ${(err as Error).message}`));
      }
      const onRejected = (r: { table: string; reason: string }) =>
        ctx.error(new Error(`questdb out ${ctx.id}: QuestDB rejected a row for table "${r.table}": ${r.reason}`), msg);
      try {
        // done() only once every row is in the bounded buffer: while it is full, messages wait here.
        for (const row of rows) await writer.write(row, { onRejected });
        done();
      } catch (err) {
        done(new Error(`questdb out ${ctx.id}: ${(err as Error).message}`));
      }
    },
    async close() {
      const { unsent } = await writer.close({ timeoutMs: 5000 });
      if (unsent) ctx.warn(`questdb out ${ctx.id}: ${unsent} rows were not stored before closing`);
    },
  };
}

export const questDbOutNode = defineNode({
  type: 'questdb out',
  version: 1,
  category: 'storage',
  inputs: 1,
  outputs: 0,
  label: 'questdb out',
  paletteLabel: 'questdb out',
  icon: 'font-awesome/fa-database',
  color: '#d7b5e4',
  config: questDbOutConfig,
  create: createQuestDbOut,
  help: `Stores messages as rows in a QuestDB table over ILP (HTTP), batched.

- **Table**: the node's, or \`msg.table\`.
- **Values**: \`msg.payload\` is an object of column values, an array of such objects (one row each),
  or a single value (column \`value\`). With declared *columns*, only those are stored, with their types.
- **Symbols**: the named symbol columns (default \`device\`), from \`msg.symbols\` or the payload.
- **Time**: \`payload.ts\` (or the configured property), else \`msg.timestamp\`, else now.

With *create table* on, the table is created with dedup keys (time and symbols) before the first
row, so rows sent twice (after QuestDB restarted, say) are stored once, and new columns are added
as they appear. The node completes a message once its rows are buffered; when the buffer is full,
messages wait. Rows QuestDB refuses are reported to catch nodes with QuestDB's reason.`,
});
