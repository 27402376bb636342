import type { PointPolicy, Retention, StoragePolicyPatch, StoragePolicyView, StorageTier, TierPolicy } from '@gridflow/runtime/contract';

/** Everything the policy form edits; sent whole as a PATCH (which also creates the policy). */
export interface PolicyDraft {
  store: boolean;
  points: Record<string, PointPolicy>;
  rawRetention: Retention | null;
  tiers: TierPolicy[];
  reportIntervalSeconds: number;
}

/** The server's defaults for a product without a policy (see storagePolicyPatchSchema's doc). */
export const defaultDraft: PolicyDraft = {
  store: true,
  points: {},
  rawRetention: { value: 30, unit: 'DAYS' },
  tiers: [
    { tier: '1m', enabled: true, retention: { value: 90, unit: 'DAYS' } },
    { tier: '1h', enabled: true, retention: { value: 2, unit: 'YEARS' } },
    { tier: '1d', enabled: true, retention: null },
  ],
  reportIntervalSeconds: 10,
};

export function draftFromView(view: StoragePolicyView): PolicyDraft {
  return {
    store: view.store,
    points: Object.fromEntries(view.modelPoints.map((p) => [p.identifier, view.points[p.identifier] ?? { store: p.stored, downsample: p.downsampled }])),
    rawRetention: view.rawRetention,
    tiers: view.tiers,
    reportIntervalSeconds: view.reportIntervalSeconds,
  };
}

export function patchFromDraft(d: PolicyDraft): StoragePolicyPatch {
  return { store: d.store, points: d.points, rawRetention: d.rawRetention, tiers: d.tiers, reportIntervalSeconds: d.reportIntervalSeconds };
}

export function setTier(d: PolicyDraft, tier: StorageTier, patch: Partial<TierPolicy>): PolicyDraft {
  return { ...d, tiers: d.tiers.map((t) => (t.tier === tier ? { ...t, ...patch } : t)) };
}

export function setPoint(d: PolicyDraft, identifier: string, patch: Partial<PointPolicy>): PolicyDraft {
  const current = d.points[identifier] ?? { store: true, downsample: true };
  return { ...d, points: { ...d.points, [identifier]: { ...current, ...patch } } };
}

const DAYS: Record<Retention['unit'], number> = { HOURS: 1 / 24, DAYS: 1, WEEKS: 7, MONTHS: 30, YEARS: 365 };

/** A retention in days (for sorting and display); null is forever. */
export function retentionDays(r: Retention | null): number | null {
  return r ? r.value * DAYS[r.unit] : null;
}

export const tierLabels: Record<StorageTier, string> = { '1m': '1 minute', '1h': '1 hour', '1d': '1 day' };
