import { useState } from 'react';
import { deviceEndpoints, storageEndpoints } from '@gridflow/runtime/contract';
import { navigate } from '../route.js';
import type { PageProps } from '../registry.js';
import { formatBytes } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, PageRequestError, request, withModule } from '../shared/http.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { defaultDraft, draftFromView, patchFromDraft } from './policy-draft.js';
import { PolicyEditor } from './PolicyEditor.js';
import { RejectedRows } from './RejectedRows.js';

/** Storage policies per product (`#/storage/<productKey>`): nothing is stored without one. */
export function StoragePage({ params }: PageProps) {
  const selected = params[0];
  const products = useLoad((signal) => request('load products', deviceEndpoints.listProducts, { signal }), []);
  const policies = useLoad(
    (signal) =>
      withModule(
        'Time-series storage (QuestDB)',
        request('load storage policies', storageEndpoints.listStoragePolicies, { signal }),
      ),
    [],
  );
  const status = useLoad(
    (signal) =>
      withModule(
        'Time-series storage (QuestDB)',
        request('load storage status', storageEndpoints.storageStatus, { signal }),
      ),
    [],
    5000,
  );
  const byProduct = new Map((policies.data?.policies ?? []).map((p) => [p.productKey, p]));

  return (
    <div className="gf-page-inner">
      <PageHead title="Storage policies" note="what is stored in QuestDB, for how long, and downsampled how">
        {status.data && (
          <span className="gf-muted" data-testid="storage-status">
            ingest {status.data.ingest.state}: {status.data.ingest.written} written, {status.data.ingest.buffered}{' '}
            buffered, {status.data.ingest.rejected} rejected
          </span>
        )}
      </PageHead>
      {(products.error || policies.error) && (
        <LoadError message={products.error || policies.error} retry={policies.reload} />
      )}
      {status.data && <RejectedRows count={status.data.ingest.rejected} />}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(260px, 1fr) 2.6fr', gap: 14, alignItems: 'start' }}>
        <div className="gf-card">
          <table className="gf-table" data-testid="storage-products">
            <thead>
              <tr>
                <th>Product</th>
                <th>Stored</th>
                <th className="num">Per day</th>
              </tr>
            </thead>
            <tbody>
              {(products.data?.products ?? []).map((p) => {
                const pol = byProduct.get(p.productKey);
                return (
                  <tr
                    key={p.productKey}
                    className={`clickable${p.productKey === selected ? ' selected' : ''}`}
                    onClick={() => navigate('storage', p.productKey)}
                    data-testid={`storage-product-${p.productKey}`}
                  >
                    <td>
                      <b>{p.name}</b>
                      <div className="gf-muted gf-mono">{p.productKey}</div>
                    </td>
                    <td>
                      {pol ? (
                        <Pill kind={pol.store ? 'active' : 'paused'}>{pol.store ? 'stored' : 'paused'}</Pill>
                      ) : (
                        <Pill kind="inactive">no policy</Pill>
                      )}
                    </td>
                    <td className="num">{pol ? formatBytes(pol.projection.totalBytesPerDay) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!products.loading && (products.data?.products ?? []).length === 0 && (
            <div className="gf-empty">No products yet.</div>
          )}
        </div>
        {selected ? (
          <ProductPolicy key={selected} productKey={selected} onChanged={policies.reload} />
        ) : (
          <div className="gf-card gf-empty">Choose a product to see or set its policy.</div>
        )}
      </div>
    </div>
  );
}

/** Loads a product's policy, or previews the defaults when it has none. */
function ProductPolicy({ productKey, onChanged }: { productKey: string; onChanged: () => void }) {
  const [removing, setRemoving] = useState('');
  const [savedNotice, setSavedNotice] = useState('');
  const loaded = useLoad(async (signal) => {
    try {
      const view = await request(`load the policy of ${productKey}`, storageEndpoints.getStoragePolicy, {
        params: { productKey },
        signal,
      });
      return { view, exists: true };
    } catch (err) {
      if (!(err instanceof PageRequestError) || err.status !== 404) throw err;
      const view = await request(`preview a policy for ${productKey}`, storageEndpoints.previewStoragePolicy, {
        params: { productKey },
        body: patchFromDraft(defaultDraft),
        signal,
      });
      return { view, exists: false };
    }
  }, []);
  if (loaded.error) return <LoadError message={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <div className="gf-card gf-empty">Loading…</div>;
  const { view, exists } = loaded.data;

  const stop = async (): Promise<void> => {
    if (!window.confirm(`Stop storing ${productKey}? What is stored stays until its retention ends.`)) return;
    try {
      await request(`delete the policy of ${productKey}`, storageEndpoints.deleteStoragePolicy, {
        params: { productKey },
      });
      onChanged();
      loaded.reload();
    } catch (err) {
      setRemoving(errorMessage(err));
    }
  };
  return (
    <div>
      <PolicyEditor
        key={`${exists}`}
        productKey={productKey}
        initial={exists ? draftFromView(view) : { ...defaultDraft, points: draftFromView(view).points }}
        view={view}
        exists={exists}
        savedNotice={savedNotice}
        onSaved={(_, notice) => {
          setSavedNotice(notice);
          onChanged();
          loaded.reload();
        }}
      />
      {exists && (
        <div className="gf-actions">
          <span className="gf-muted">
            Table <span className="gf-mono">{view.table}</span>, views{' '}
            {view.views.map((v) => v.name).join(', ') || 'none'}
          </span>
          <button type="button" className="danger" onClick={() => void stop()} data-testid="policy-delete">
            Stop storing
          </button>
        </div>
      )}
      {removing && <LoadError message={removing} />}
    </div>
  );
}
