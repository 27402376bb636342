import type { StoragePolicy, StorageTier } from '@gridflow/runtime/contract';
import {
  downsampleViews,
  ensureTable,
  quoteIdentifier,
  setTtlSql,
  waitForWalApplied,
  type SqlClient,
  type Ttl,
} from '@gridflow/nodes/storage';
import type { AppliedViews, StoragePolicyStore } from './policy-store.js';
import { enabledTiers, productTable, tableLayout, viewLayout, type StoredPointInfo } from './policy.js';

/**
 * Brings QuestDB in line with a policy: the product's table (created, or gaining columns for new
 * points, never losing any), its raw TTL, and the materialized views of the enabled tiers. A view
 * is rebuilt only when its SELECT changes (points added or taken out of downsampling, a finer tier
 * switched on or off); a rebuilt view is filled again from its source, so aggregates older than the
 * source's retention are not in it any more. A retention change alone is an ALTER.
 */

export interface ApplyResult {
  table: string;
  tableCreated: boolean;
  columnsAdded: string[];
  views: { tier: StorageTier; name: string }[];
  /** Tiers whose view was (re)created now. */
  rebuilt: StorageTier[];
  dropped: string[];
}

const toTtl = (r: StoragePolicy['rawRetention']): Ttl | undefined => (r ? { value: r.value, unit: r.unit } : undefined);

async function existingViews(sql: SqlClient): Promise<Set<string>> {
  const { rows } = await sql.query<{ view_name: string }>('SELECT view_name FROM materialized_views()');
  return new Set(rows.map((r) => r.view_name.toLowerCase()));
}

export async function applyPolicy(
  sql: SqlClient,
  store: StoragePolicyStore,
  policy: StoragePolicy,
  points: readonly StoredPointInfo[],
): Promise<ApplyResult> {
  const table = productTable(policy.productKey);
  const layout = tableLayout(policy.productKey, points, policy);
  const ensured = await ensureTable(sql, layout);
  // ensureTable sets a TTL that the layout has; one taken away must be removed here.
  if (!ensured.created && !layout.ttl) await sql.query(setTtlSql(table, undefined));
  // Views are built on the columns as QuestDB shows them; an added column must be there first.
  if (ensured.added.length) await waitForWalApplied(sql, table);

  const tiers = enabledTiers(policy);
  const ttlByTier: Partial<Record<StorageTier, Ttl>> = {};
  for (const t of policy.tiers) {
    const ttl = toTtl(t.retention);
    if (t.enabled && ttl) ttlByTier[t.tier] = ttl;
  }
  const vLayout = viewLayout(policy.productKey, points);
  // Compared without TTL: the TTL is altered in place, the SELECT needs a rebuild.
  const bare = new Map(downsampleViews(vLayout, { tiers }).map((v) => [v.tier, v.sql]));
  const full = downsampleViews(vLayout, { tiers, ttl: ttlByTier });
  const applied = await store.appliedViews(policy.productKey);
  const present = await existingViews(sql);
  const order: StorageTier[] = ['1m', '1h', '1d'];
  const name = (tier: StorageTier) => `${table}_${tier}`;

  // The first tier whose view must change; every coarser view reads from it (directly or not), so it changes too.
  const firstChange = order.findIndex((tier) => {
    const want = bare.get(tier);
    const exists = present.has(name(tier).toLowerCase());
    if (!want) return exists;
    return !exists || applied[tier] !== want;
  });

  const result: ApplyResult = {
    table,
    tableCreated: ensured.created,
    columnsAdded: ensured.added.map((c) => c.name),
    views: [],
    rebuilt: [],
    dropped: [],
  };
  const next: AppliedViews = {};
  if (firstChange >= 0) {
    for (const tier of [...order].reverse().slice(0, order.length - firstChange)) {
      if (!present.has(name(tier).toLowerCase())) continue;
      await sql.query(`DROP MATERIALIZED VIEW IF EXISTS ${quoteIdentifier(name(tier))}`);
      result.dropped.push(name(tier));
    }
  }
  for (const [i, tier] of order.entries()) {
    const view = full.find((v) => v.tier === tier);
    if (!view) continue;
    if (firstChange >= 0 && i >= firstChange) {
      await sql.query(view.sql);
      result.rebuilt.push(tier);
    } else {
      const ttl = ttlByTier[tier];
      await sql.query(
        `ALTER MATERIALIZED VIEW ${quoteIdentifier(view.name)} SET TTL ${ttl ? `${ttl.value} ${ttl.unit}` : '0 HOURS'}`,
      );
    }
    next[tier] = bare.get(tier) as string;
    result.views.push({ tier, name: view.name });
  }
  await store.setAppliedViews(policy.productKey, next);
  return result;
}
