import type { StoragePolicy, StorageProjection, StorageProjectionItem, StorageTier } from '@gridflow/runtime/contract';
import type { ColumnType } from '@gridflow/nodes/storage';
import { productTable, retentionDays, type StoredPointInfo } from './policy.js';

/**
 * The projected size per day of a product's data under a policy. Sizes are QuestDB's column widths
 * (uncompressed; a SYMBOL is a 4-byte key, VARCHAR its text plus a 16-byte header), so the figure
 * is an upper bound on what lands on disk: a guide for choosing retention, not an invoice.
 */

const COLUMN_BYTES: Record<ColumnType, number> = {
  double: 8,
  float: 4,
  long: 8,
  int: 4,
  short: 2,
  byte: 1,
  boolean: 1,
  varchar: 16 + 24, // header plus an assumed short text
  symbol: 4,
  timestamp: 8,
  uuid: 16,
};

const TIER_ROWS_PER_DAY: Record<StorageTier, number> = { '1m': 1440, '1h': 24, '1d': 1 };

/** Bytes of one raw row: ts, device symbol, every stored point (and quality code). */
export function rawRowBytes(points: readonly StoredPointInfo[]): number {
  let bytes = COLUMN_BYTES.timestamp + COLUMN_BYTES.symbol;
  for (const p of points) {
    if (!p.stored) continue;
    bytes += COLUMN_BYTES[p.type];
    if (p.hasQuality) bytes += COLUMN_BYTES.int;
  }
  return bytes;
}

/** Bytes of one row of a tier: ts, device, and six aggregates (8 bytes each) per downsampled point. */
export function tierRowBytes(points: readonly StoredPointInfo[]): number {
  const downsampled = points.filter((p) => p.downsampled).length;
  return COLUMN_BYTES.timestamp + COLUMN_BYTES.symbol + downsampled * 6 * 8;
}

export interface ProjectionInput {
  policy: StoragePolicy;
  points: readonly StoredPointInfo[];
  devices: number;
  /** Rows stored per device over the last 24 hours, when known (a measured rate beats the declared one). */
  measuredRowsPerDevicePerDay?: number | undefined;
}

export function projectStorage(input: ProjectionInput): StorageProjection {
  const { policy, points, devices } = input;
  const measured = input.measuredRowsPerDevicePerDay;
  const basis = measured !== undefined && measured > 0 ? 'measured' : 'reportInterval';
  const rowsPerDevicePerDay = basis === 'measured' ? (measured as number) : 86_400 / policy.reportIntervalSeconds;
  const table = productTable(policy.productKey);
  const rowBytes = rawRowBytes(points);
  const items: StorageProjectionItem[] = [];
  const item = (
    source: StorageProjectionItem['source'],
    name: string,
    rowsPerDay: number,
    bytesPerRow: number,
    days: number | null,
  ) => {
    const bytesPerDay = Math.round(rowsPerDay * bytesPerRow);
    items.push({
      source,
      table: name,
      rowsPerDay,
      bytesPerDay,
      retentionDays: days,
      bytesAtRetention: days === null ? null : Math.round(bytesPerDay * days),
    });
  };
  if (policy.store) {
    item('raw', table, Math.round(rowsPerDevicePerDay * devices), rowBytes, retentionDays(policy.rawRetention));
    const tierBytes = tierRowBytes(points);
    if (points.some((p) => p.downsampled)) {
      for (const t of policy.tiers) {
        if (!t.enabled) continue;
        // A tier has at most one row per bucket and device, and never more rows than raw data.
        const rows = Math.min(TIER_ROWS_PER_DAY[t.tier], rowsPerDevicePerDay) * devices;
        item(t.tier, `${table}_${t.tier}`, Math.round(rows), tierBytes, retentionDays(t.retention));
      }
    }
  }
  return {
    devices,
    rowsPerDevicePerDay,
    basis,
    rawRowBytes: rowBytes,
    items,
    totalBytesPerDay: items.reduce((sum, i) => sum + i.bytesPerDay, 0),
  };
}
