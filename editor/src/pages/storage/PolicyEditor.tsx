import { useEffect, useState } from 'react';
import { storageEndpoints, storagePolicyPatchSchema, type StoragePolicyView } from '@gridflow/runtime/contract';
import { requestFieldErrors, validate, type FieldErrors } from '../shared/form-errors.js';
import { errorMessage, request } from '../shared/http.js';
import { Field, FormErrors } from '../shared/ui.js';
import { patchFromDraft, setPoint, setTier, tierLabels, type PolicyDraft } from './policy-draft.js';
import { ProjectionTable } from './ProjectionTable.js';
import { RetentionInput } from './RetentionInput.js';

/**
 * The policy of one product: what is stored, for how long, which tiers; the projected size is
 * asked of the server for the draft as it is edited, before anything is saved.
 */
export function PolicyEditor({
  productKey,
  initial,
  view,
  exists,
  savedNotice = '',
  onSaved,
}: {
  productKey: string;
  initial: PolicyDraft;
  /** The saved policy, or the preview of the defaults when there is none yet. */
  view: StoragePolicyView;
  exists: boolean;
  /** Shown until the next edit; kept by the parent because a first save remounts this form. */
  savedNotice?: string;
  onSaved: (v: StoragePolicyView, notice: string) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [preview, setPreview] = useState(view);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(savedNotice);

  // Live projection: ask the server about the draft a moment after the last change.
  useEffect(() => {
    const checked = validate(storagePolicyPatchSchema, patchFromDraft(draft));
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      request(`preview the policy of ${productKey}`, storageEndpoints.previewStoragePolicy, {
        params: { productKey },
        body: checked.data,
        signal: ctrl.signal,
      }).then(setPreview, (err: unknown) => {
        if (!ctrl.signal.aborted) setErrors({ '': errorMessage(err) });
      });
    }, 300);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [draft, productKey]);

  const edit = (d: PolicyDraft): void => {
    setDraft(d);
    setSaved('');
  };

  const save = async (): Promise<void> => {
    const checked = validate(storagePolicyPatchSchema, patchFromDraft(draft));
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    try {
      const v = await request(`save the policy of ${productKey}`, storageEndpoints.patchStoragePolicy, {
        params: { productKey },
        body: checked.data,
      });
      const notice = 'Saved: QuestDB tables and views are updated.';
      setSaved(notice);
      onSaved(v, notice);
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const tierIndex = (tier: string): number => draft.tiers.findIndex((t) => t.tier === tier);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      data-testid="policy-form"
    >
      <div className="gf-card">
        <h2>
          Policy of {productKey} {!exists && <span className="gf-pill offline">not stored yet</span>}
        </h2>
        <div className="gf-fields">
          <label className="gf-field check" data-testid="field-policy-store">
            <input
              type="checkbox"
              checked={draft.store}
              onChange={(e) => edit({ ...draft, store: e.target.checked })}
            />{' '}
            store this product's data
          </label>
          <Field
            label="Raw rows kept"
            name="policy-rawRetention"
            error={errors['rawRetention.value'] ?? errors['rawRetention']}
          >
            <RetentionInput
              value={draft.rawRetention}
              onChange={(r) => edit({ ...draft, rawRetention: r })}
              name="raw-retention"
            />
          </Field>
          <Field label="Devices report every (s)" name="policy-reportInterval" error={errors['reportIntervalSeconds']}>
            <input
              type="number"
              min={0.1}
              step="any"
              value={Number.isNaN(draft.reportIntervalSeconds) ? '' : draft.reportIntervalSeconds}
              onChange={(e) =>
                edit({ ...draft, reportIntervalSeconds: e.target.value === '' ? Number.NaN : Number(e.target.value) })
              }
            />
          </Field>
        </div>
        <h3>Downsampled tiers (avg, min, max, first, last, count per numeric point)</h3>
        <table className="gf-table" data-testid="policy-tiers">
          <thead>
            <tr>
              <th>Tier</th>
              <th>Build</th>
              <th>Kept</th>
            </tr>
          </thead>
          <tbody>
            {draft.tiers.map((t) => (
              <tr key={t.tier} data-testid={`tier-${t.tier}`}>
                <td>sampled by {tierLabels[t.tier]}</td>
                <td>
                  <input
                    type="checkbox"
                    checked={t.enabled}
                    onChange={(e) => edit(setTier(draft, t.tier, { enabled: e.target.checked }))}
                    aria-label={`build the ${t.tier} tier`}
                  />
                </td>
                <td>
                  <RetentionInput
                    value={t.retention}
                    onChange={(r) => edit(setTier(draft, t.tier, { retention: r }))}
                    name={`tier-${t.tier}-retention`}
                  />
                  {errors[`tiers.${tierIndex(t.tier)}.retention.value`] && (
                    <span className="gf-field-error"> {errors[`tiers.${tierIndex(t.tier)}.retention.value`]}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Measure points</h3>
        <table className="gf-table" data-testid="policy-points">
          <thead>
            <tr>
              <th>Point</th>
              <th>Column</th>
              <th>Store</th>
              <th>Downsample</th>
            </tr>
          </thead>
          <tbody>
            {preview.modelPoints.map((p) => {
              const pp = draft.points[p.identifier] ?? { store: true, downsample: p.numeric };
              return (
                <tr key={p.identifier} data-testid={`policy-point-${p.identifier}`}>
                  <td>{p.identifier}</td>
                  <td className="gf-mono">{p.columnType}</td>
                  <td>
                    <input
                      type="checkbox"
                      checked={pp.store}
                      onChange={(e) => edit(setPoint(draft, p.identifier, { store: e.target.checked }))}
                      aria-label={`store ${p.identifier}`}
                    />
                  </td>
                  <td>
                    {p.numeric ? (
                      <input
                        type="checkbox"
                        checked={pp.downsample && pp.store}
                        disabled={!pp.store}
                        onChange={(e) => edit(setPoint(draft, p.identifier, { downsample: e.target.checked }))}
                        aria-label={`downsample ${p.identifier}`}
                      />
                    ) : (
                      <span className="gf-muted">not numeric</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {preview.modelPoints.length === 0 && <div className="gf-empty">The product's model has no measure points.</div>}
      </div>
      <div className="gf-card">
        <h2>Projected size</h2>
        <ProjectionTable projection={preview.projection} />
      </div>
      <FormErrors messages={Object.entries(errors).map(([k, v]) => (k ? `${k}: ${v}` : v))} />
      {saved && (
        <div className="gf-form-ok" data-testid="form-ok">
          {saved}
        </div>
      )}
      <div className="gf-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="policy-save">
          {exists ? 'Save policy' : 'Create policy'}
        </button>
      </div>
    </form>
  );
}
