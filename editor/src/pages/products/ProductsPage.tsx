import { Fragment, useState } from 'react';
import { deviceEndpoints, type Product } from '@gridflow/runtime/contract';
import { hashFor } from '../route.js';
import type { PageProps } from '../registry.js';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, request } from '../shared/http.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { ProductEdit } from './ProductEdit.js';
import { ProductForm } from './ProductForm.js';

/** Products: a thing model with an auth mode and keys; the secret is shown once, on creation. */
export function ProductsPage(_props: PageProps) {
  const products = useLoad((signal) => request('load products', deviceEndpoints.listProducts, { signal }), []);
  const models = useLoad((signal) => request('load thing models', deviceEndpoints.listThingModels, { signal }), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Product>();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string>();

  const remove = async (p: Product): Promise<void> => {
    if (!window.confirm(`Delete product ${p.name} (${p.productKey})?`)) return;
    try {
      await request(`delete product ${p.productKey}`, deviceEndpoints.deleteProduct, {
        params: { productKey: p.productKey },
      });
      setError('');
      products.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="gf-page-inner">
      <PageHead title="Products" note="a thing model, an auth mode and keys">
        <button
          type="button"
          className="primary"
          onClick={() => setCreating(true)}
          data-testid="product-new"
          disabled={creating}
        >
          New product
        </button>
      </PageHead>
      {(products.error || models.error) && (
        <LoadError message={products.error || models.error} retry={products.reload} />
      )}
      {error && <LoadError message={error} />}
      {created && (
        <div className="gf-card" data-testid="product-created">
          <h2>Product {created.name} created</h2>
          <p>
            Product key <b className="gf-mono">{created.productKey}</b>. Copy the product secret now: this page shows it
            only this once.
          </p>
          <div className="gf-secret" data-testid="product-secret">
            {created.productSecret}
          </div>
          <div className="gf-actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.productSecret)}>
              Copy secret
            </button>
            <button type="button" onClick={() => setCreated(undefined)} data-testid="product-secret-done">
              I have stored it
            </button>
          </div>
        </div>
      )}
      {creating && models.data && (
        <ProductForm
          models={models.data.models}
          onCancel={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            setCreated(p);
            products.reload();
          }}
        />
      )}
      <div className="gf-card">
        <table className="gf-table" data-testid="product-list">
          <thead>
            <tr>
              <th>Product</th>
              <th>Product key</th>
              <th>Model</th>
              <th>Auth mode</th>
              <th>Node type</th>
              <th className="num">Devices</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(products.data?.products ?? []).map((p) => (
              <Fragment key={p.productKey}>
                <tr data-testid={`product-row-${p.productKey}`}>
                  <td>
                    <b>{p.name}</b>
                    {p.description && <div className="gf-muted">{p.description}</div>}
                  </td>
                  <td className="gf-mono">{p.productKey}</td>
                  <td>
                    <a href={hashFor('models', p.modelId)}>{p.modelId}</a>
                  </td>
                  <td>
                    <Pill kind={p.authMode === 'dynamic' ? 'info' : 'offline'}>{p.authMode}</Pill>
                  </td>
                  <td>{p.nodeType}</td>
                  <td className="num">
                    <a href={hashFor('devices', p.productKey)}>{p.devices}</a>
                  </td>
                  <td>{formatTime(p.createdAt)}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <button
                      type="button"
                      onClick={() => setEditing(editing === p.productKey ? undefined : p.productKey)}
                      data-testid={`product-edit-open-${p.productKey}`}
                    >
                      Edit
                    </button>{' '}
                    <button type="button" className="danger" onClick={() => void remove(p)}>
                      Delete
                    </button>
                  </td>
                </tr>
                {editing === p.productKey && (
                  <tr>
                    <td colSpan={8} style={{ background: '#fafafa' }}>
                      <ProductEdit
                        product={p}
                        onCancel={() => setEditing(undefined)}
                        onSaved={() => {
                          setEditing(undefined);
                          products.reload();
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {!products.loading && (products.data?.products ?? []).length === 0 && (
          <div className="gf-empty">No products yet.</div>
        )}
      </div>
    </div>
  );
}
