import { z } from 'zod';
import { isNumericType } from './column-types.js';
import { checkIdentifier, quoteIdentifier } from './identifiers.js';
import {
  normalizeLayout,
  ttlClause,
  ttlSchema,
  TableLayoutError,
  type PartitionBy,
  type TableLayoutInput,
  type Ttl,
} from './table-layout.js';

/**
 * Downsampling tiers as QuestDB materialized views: 1 minute from the raw table, 1 hour from the
 * minutes, 1 day from the hours. Each numeric column `c` becomes c_avg, c_min, c_max, c_first,
 * c_last and c_count. Coarser tiers are computed from the finer ones, so their average is weighted
 * by the counts (an average of averages would be wrong when minutes hold different row counts).
 */

export const downsampleTiers = ['1m', '1h', '1d'] as const;
export type DownsampleTier = (typeof downsampleTiers)[number];

export const downsampleOptionsSchema = z.object({
  tiers: z.array(z.enum(downsampleTiers)).default([...downsampleTiers]),
  ttl: z.partialRecord(z.enum(downsampleTiers), ttlSchema).default({}),
});
export type DownsampleOptions = z.input<typeof downsampleOptionsSchema>;

const PARTITION: Record<DownsampleTier, PartitionBy> = { '1m': 'DAY', '1h': 'MONTH', '1d': 'YEAR' };
export const aggregateSuffixes = ['avg', 'min', 'max', 'first', 'last', 'count'] as const;

export interface ViewDefinition {
  name: string;
  tier: DownsampleTier;
  /** The table or view it reads from. */
  source: string;
  sql: string;
}

export function viewName(table: string, tier: DownsampleTier): string {
  return checkIdentifier(`${table}_${tier}`, 'materialized view');
}

function rawAggregates(column: string): string[] {
  const c = quoteIdentifier(column);
  const out = (suffix: string) => quoteIdentifier(`${column}_${suffix}`);
  return [
    `avg(${c}) ${out('avg')}`,
    `min(${c}) ${out('min')}`,
    `max(${c}) ${out('max')}`,
    `first(${c}) ${out('first')}`,
    `last(${c}) ${out('last')}`,
    `count(${c}) ${out('count')}`,
  ];
}

function rollupAggregates(column: string): string[] {
  const q = (suffix: string) => quoteIdentifier(`${column}_${suffix}`);
  return [
    `sum(${q('avg')} * ${q('count')}) / sum(${q('count')}) ${q('avg')}`,
    `min(${q('min')}) ${q('min')}`,
    `max(${q('max')}) ${q('max')}`,
    `first(${q('first')}) ${q('first')}`,
    `last(${q('last')}) ${q('last')}`,
    `sum(${q('count')}) ${q('count')}`,
  ];
}

/**
 * CREATE MATERIALIZED VIEW statements for the requested tiers, in dependency order. A table with
 * no numeric column gets no views. The views cover the columns the layout has now: a column added
 * later needs the views rebuilt.
 */
export function downsampleViews(input: TableLayoutInput, options: DownsampleOptions = {}): ViewDefinition[] {
  const layout = normalizeLayout(input);
  const opts = downsampleOptionsSchema.parse(options);
  const numeric = layout.columns.filter((c) => isNumericType(c.type)).map((c) => c.name);
  if (numeric.length === 0) return [];
  const taken = new Set([layout.timestamp, ...layout.symbols].map((n) => n.toLowerCase()));
  for (const c of numeric) {
    for (const s of aggregateSuffixes) {
      const name = checkIdentifier(`${c}_${s}`, 'aggregate column');
      if (taken.has(name.toLowerCase()))
        throw new TableLayoutError(layout.table, `aggregate column "${name}" clashes with another column`);
      taken.add(name.toLowerCase());
    }
  }
  const keys = [layout.timestamp, ...layout.symbols].map((k) => quoteIdentifier(k)).join(', ');
  const views: ViewDefinition[] = [];
  let source = layout.table;
  let fromRaw = true;
  for (const tier of downsampleTiers) {
    if (!opts.tiers.includes(tier)) continue;
    const name = viewName(layout.table, tier);
    const aggregates = numeric.flatMap(fromRaw ? rawAggregates : rollupAggregates).join(', ');
    const ttl: Ttl | undefined = opts.ttl[tier];
    const sql =
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${quoteIdentifier(name)} AS (` +
      `SELECT ${keys}, ${aggregates} FROM ${quoteIdentifier(source)} SAMPLE BY ${tier}` +
      `) PARTITION BY ${PARTITION[tier]}${ttlClause(ttl)}`;
    views.push({ name, tier, source, sql });
    source = name;
    fromRaw = false;
  }
  return views;
}
