import { z } from 'zod';
import { defineNode, type Msg, type NodeContext } from '@gridflow/runtime';
import { aggregateOps, computeAggregates, type AggregateSpec, type AggregateValues } from './aggregators.js';
import { compileMsgPath, keyString, toNumber } from './message-access.js';

const percentileList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map(Number)
      : (v ?? undefined),
  z.array(z.number().min(0).max(100)).default([95]),
);

const aggregateConfig = z.object({
  name: z.string().default(''),
  /** The statistics to compute, several at once. */
  ops: z.array(z.enum(aggregateOps)).min(1).default(['avg', 'min', 'max', 'count']),
  /** For `percentile`: which ones, 0..100 (a list or "50, 95, 99"); each appears as `p<N>`. */
  percentiles: percentileList,
  stddev: z.enum(['population', 'sample']).default('population'),
  /** The value inside each windowed message. */
  property: z.string().default('payload'),
  /** An empty window (count 0) gives count 0 and null for the rest, or nothing. */
  empty: z.enum(['nulls', 'drop']).default('nulls'),
});

export type AggregateConfig = z.infer<typeof aggregateConfig>;

/** The payload the aggregate node sends for each window. */
export interface AggregateResult {
  key: string;
  start: number | null;
  end: number | null;
  /** Messages in the window; `values.count` counts the numeric values among them. */
  count: number;
  /** Messages whose value was not a number (left out of the statistics). */
  skipped?: number;
  values: AggregateValues;
}

interface WindowLike {
  key?: unknown;
  start?: unknown;
  end?: unknown;
}

function createAggregate(ctx: NodeContext, c: AggregateConfig) {
  const spec: AggregateSpec = { ops: c.ops, percentiles: c.percentiles, stddev: c.stddev };
  const valueOf = compileMsgPath(c.property);
  // One scratch buffer for every window: no allocation per value.
  let scratch = new Float64Array(1024);
  return {
    input(msg: Msg, send: (m: Msg) => void, done: (err?: unknown) => void) {
      const items = msg.payload;
      if (!Array.isArray(items)) {
        done(
          new Error(
            `aggregate ${ctx.id}: msg.payload is not a window (an array of messages or numbers); wire a window node before it`,
          ),
        );
        return;
      }
      if (items.length > scratch.length) scratch = new Float64Array(Math.max(items.length, scratch.length * 2));
      let n = 0;
      for (let i = 0; i < items.length; i++) {
        const item: unknown = items[i];
        const x =
          typeof item === 'number'
            ? item
            : item !== null && typeof item === 'object'
              ? toNumber(valueOf(item as Msg))
              : toNumber(item);
        if (Number.isFinite(x)) scratch[n++] = x;
      }
      if (n === 0 && c.empty === 'drop') {
        done();
        return;
      }
      const w = (msg['window'] ?? {}) as WindowLike;
      const result: AggregateResult = {
        key: w.key !== undefined ? keyString(w.key) : keyString(msg.topic),
        start: typeof w.start === 'number' ? w.start : null,
        end: typeof w.end === 'number' ? w.end : null,
        count: items.length,
        values: computeAggregates(spec, scratch, n),
      };
      if (n < items.length) result.skipped = items.length - n;
      msg.payload = result;
      send(msg);
      done();
    },
  };
}

export const aggregateNode = defineNode({
  type: 'aggregate',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 1,
  label: 'aggregate',
  paletteLabel: 'aggregate',
  icon: 'font-awesome/fa-calculator',
  color: '#9fd3c7',
  config: aggregateConfig,
  help: `Computes statistics over each window a **window** node sends: avg, min, max, sum, count,
first, last, stddev and percentiles (p configurable, several at once).

The window node owns the windowing (time or count, tumbling or sliding, event time and late data);
this node turns each window into one message, so the two compose and each stays simple. It keeps
no state per key: the key, start and end come from \`msg.window\`.

**Input**: \`msg.payload\` an array of messages (the value read from *property* of each, default
\`payload\`) or of numbers. Values that are not numbers are left out and counted as \`skipped\`.

**Output**: \`msg.payload = {key, start, end, count, values: {avg, p95, ...}}\`.

**Empty windows** (a window node with *emit empty* on, or no numeric values): \`values.count\` is 0
and every other value is null; choose *drop* to send nothing instead.`,
  create: (ctx, config) => createAggregate(ctx, config),
});
