import { createHash } from 'node:crypto';
import {
  storagePolicyPatchSchema,
  storageTiers,
  type MeasurePoint,
  type StoragePolicy,
  type StoragePolicyPatch,
  type StorageTier,
  type ThingModel,
  type TierPolicy,
} from '@gridflow/runtime/contract';
import { isNumericType, type ColumnSpec, type ColumnType, type TableLayoutInput } from '@gridflow/nodes/storage';

/**
 * Pure rules of storage policies: defaults, how a PATCH changes a policy, the product's table name,
 * and its table layout from the thing model. Nothing here touches SQLite or QuestDB.
 */

export const DEFAULT_TIERS: TierPolicy[] = [
  { tier: '1m', enabled: true, retention: { value: 90, unit: 'DAYS' } },
  { tier: '1h', enabled: true, retention: { value: 2, unit: 'YEARS' } },
  { tier: '1d', enabled: true, retention: null },
];

export function defaultPolicy(productKey: string, now: string): StoragePolicy {
  return {
    productKey,
    store: true,
    points: {},
    rawRetention: { value: 30, unit: 'DAYS' },
    tiers: DEFAULT_TIERS.map((t) => ({ ...t })),
    reportIntervalSeconds: 60,
    createdAt: now,
    updatedAt: now,
  };
}

/** The policy after a PATCH: points merge per point, tiers replace the fields they give. */
export function applyPatch(policy: StoragePolicy, patchInput: StoragePolicyPatch, now: string): StoragePolicy {
  const patch = storagePolicyPatchSchema.parse(patchInput);
  const points = { ...policy.points };
  for (const [id, p] of Object.entries(patch.points ?? {})) {
    const before = points[id] ?? { store: true, downsample: true };
    points[id] = { store: p.store ?? before.store, downsample: p.downsample ?? before.downsample };
  }
  const tiers = storageTiers.map((tier) => {
    const before = policy.tiers.find((t) => t.tier === tier) ?? { tier, enabled: false, retention: null };
    const given = patch.tiers?.find((t) => t.tier === tier);
    return {
      tier,
      enabled: given?.enabled ?? before.enabled,
      retention: given?.retention !== undefined ? given.retention : before.retention,
    };
  });
  return {
    ...policy,
    store: patch.store ?? policy.store,
    points,
    rawRetention: patch.rawRetention !== undefined ? patch.rawRetention : policy.rawRetention,
    tiers,
    reportIntervalSeconds: patch.reportIntervalSeconds ?? policy.reportIntervalSeconds,
    updatedAt: now,
  };
}

/**
 * The product's QuestDB table: `mp_<productKey>`. Product keys may hold '.' and '-', which table
 * names may not; those become '_' plus a short hash of the real key, so `a.b` and `a_b` stay apart.
 */
export function productTable(productKey: string): string {
  const clean = productKey.replace(/[^A-Za-z0-9_]/g, '_');
  if (clean === productKey) return `mp_${clean}`;
  const hash = createHash('sha256').update(productKey).digest('hex').slice(0, 6);
  return `mp_${clean}_${hash}`;
}

/** Columns the table has for its own use; a point with one of these names gets a `p_` prefix. */
const RESERVED = new Set(['ts', 'device']);

/** The column a measure point is stored in. */
export function pointColumn(identifier: string): string {
  return RESERVED.has(identifier.toLowerCase()) ? `p_${identifier}` : identifier;
}

/** The quality code of a point that has one (`hasQuality`). */
export const qualityColumn = (identifier: string) => `${pointColumn(identifier)}_quality`;

/** The column type of a point: numbers stay numbers, dates become timestamps, structures JSON text. */
export function pointColumnType(point: MeasurePoint): ColumnType {
  switch (point.spec.type) {
    case 'int':
    case 'enum':
      return 'long';
    case 'float':
    case 'double':
      return 'double';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'timestamp';
    default:
      return 'varchar'; // string, array and struct (as JSON)
  }
}

export interface StoredPointInfo {
  identifier: string;
  column: string;
  type: ColumnType;
  numeric: boolean;
  stored: boolean;
  downsampled: boolean;
  hasQuality: boolean;
}

/** Every measure point of the model with what the policy does with it. */
export function pointsOf(model: ThingModel, policy: StoragePolicy): StoredPointInfo[] {
  return model.measurePoints.map((p) => {
    const type = pointColumnType(p);
    const numeric = isNumericType(type);
    const rule = policy.points[p.identifier] ?? { store: true, downsample: true };
    return {
      identifier: p.identifier,
      column: pointColumn(p.identifier),
      type,
      numeric,
      stored: rule.store,
      downsampled: rule.store && numeric && rule.downsample,
      hasQuality: p.hasQuality,
    };
  });
}

const ttlOf = (r: StoragePolicy['rawRetention']) => (r ? { value: r.value, unit: r.unit } : undefined);

/** The raw table's layout: the stored points (and their quality codes) as columns. */
export function tableLayout(
  productKey: string,
  points: readonly StoredPointInfo[],
  policy: StoragePolicy,
): TableLayoutInput {
  const columns: ColumnSpec[] = [];
  for (const p of points) {
    if (!p.stored) continue;
    columns.push({ name: p.column, type: p.type });
    if (p.hasQuality) columns.push({ name: qualityColumn(p.identifier), type: 'int' });
  }
  const ttl = ttlOf(policy.rawRetention);
  return {
    table: productTable(productKey),
    symbols: ['device'],
    columns,
    timestamp: 'ts',
    partitionBy: 'DAY',
    ...(ttl ? { ttl } : {}),
  };
}

/** The layout the downsampled views are built from: only the points that are downsampled. */
export function viewLayout(productKey: string, points: readonly StoredPointInfo[]): TableLayoutInput {
  return {
    table: productTable(productKey),
    symbols: ['device'],
    columns: points.filter((p) => p.downsampled).map((p) => ({ name: p.column, type: p.type })),
    timestamp: 'ts',
  };
}

export const enabledTiers = (policy: StoragePolicy): StorageTier[] =>
  policy.tiers.filter((t) => t.enabled).map((t) => t.tier);

/** Days a retention stands for (months as 30 days, years as 365); null for forever. */
export function retentionDays(r: StoragePolicy['rawRetention']): number | null {
  if (!r) return null;
  const perUnit = { HOURS: 1 / 24, DAYS: 1, WEEKS: 7, MONTHS: 30, YEARS: 365 } as const;
  return r.value * perUnit[r.unit];
}
