import { describe, expect, it } from 'vitest';
import { storagePolicyPatchSchema, type StoragePolicyView } from '@gridflow/runtime/contract';
import { defaultDraft, draftFromView, patchFromDraft, retentionDays, setPoint, setTier } from './policy-draft.js';

const view: StoragePolicyView = {
  productKey: 'roof',
  store: true,
  points: { power: { store: true, downsample: false } },
  rawRetention: { value: 7, unit: 'DAYS' },
  tiers: defaultDraft.tiers,
  reportIntervalSeconds: 5,
  createdAt: '',
  updatedAt: '',
  table: 'roof',
  views: [],
  modelPoints: [
    { identifier: 'power', columnType: 'DOUBLE', numeric: true, stored: true, downsampled: false },
    { identifier: 'state', columnType: 'VARCHAR', numeric: false, stored: true, downsampled: false },
  ],
  projection: { devices: 0, rowsPerDevicePerDay: 0, basis: 'reportInterval', rawRowBytes: 0, items: [], totalBytesPerDay: 0 },
};

describe('storage policy drafts', () => {
  it('lists every model point, taking unlisted ones from what the server says', () => {
    expect(draftFromView(view).points).toEqual({ power: { store: true, downsample: false }, state: { store: true, downsample: false } });
  });

  it('produces a patch the contract accepts', () => {
    let d = draftFromView(view);
    d = setTier(d, '1m', { enabled: false });
    d = setPoint(d, 'state', { store: false });
    const patch = patchFromDraft(d);
    expect(storagePolicyPatchSchema.safeParse(patch).success).toBe(true);
    expect(patch.tiers?.find((t) => t.tier === '1m')?.enabled).toBe(false);
    expect(patch.points?.['state']).toEqual({ store: false, downsample: false });
    expect(storagePolicyPatchSchema.safeParse(patchFromDraft(defaultDraft)).success).toBe(true);
  });

  it('converts retentions to days', () => {
    expect(retentionDays({ value: 2, unit: 'WEEKS' })).toBe(14);
    expect(retentionDays(null)).toBeNull();
  });
});
