import { useState } from 'react';
import { deviceEndpoints, type Device, type Product } from '@gridflow/runtime/contract';
import { errorMessage, request } from '../shared/http.js';
import { Field, FormErrors } from '../shared/ui.js';
import { previewCsv } from './csv-preview.js';

const EXAMPLE = 'deviceKey,name,description\ninv-001,Inverter 1,roof A\ninv-002,Inverter 2,roof B';

/** Bulk creation from CSV: paste or pick a file, check the header, create all rows or none. */
export function CsvImport({
  products,
  productKey,
  onCreated,
  onCancel,
}: {
  products: Product[];
  productKey: string;
  onCreated: (ds: Device[]) => void;
  onCancel: () => void;
}) {
  const [csv, setCsv] = useState('');
  const [product, setProduct] = useState(productKey);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const preview = csv.trim() ? previewCsv(csv, !!product) : undefined;

  const readFile = (file: File | undefined): void => {
    if (!file) return;
    file.text().then(setCsv, (err: unknown) => setError(`reading ${file.name} failed: ${errorMessage(err)}`));
  };

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError('');
    try {
      const res = await request('import devices', deviceEndpoints.importDevices, { body: { csv, ...(product ? { productKey: product } : {}) } });
      onCreated(res.created);
    } catch (err) {
      // The server names each bad line; keep its message whole.
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gf-card" data-testid="device-import">
      <h2>Import devices from CSV</h2>
      <p className="gf-muted" style={{ marginTop: 0 }}>
        Header row: <span className="gf-mono">deviceKey, name</span>, optionally <span className="gf-mono">productKey, deviceSecret, description</span>; any other
        column is an attribute. All rows are created, or none.
      </p>
      <div className="gf-fields">
        <Field label="Product (for files without a productKey column)" name="import-product">
          <select value={product} onChange={(e) => setProduct(e.target.value)}>
            <option value="">(from the file)</option>
            {products.map((p) => (
              <option key={p.productKey} value={p.productKey}>
                {p.name} ({p.productKey})
              </option>
            ))}
          </select>
        </Field>
        <Field label="CSV file" name="import-file">
          <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => readFile(e.target.files?.[0])} />
        </Field>
        <Field label="CSV text" name="import-csv" wide>
          <textarea className="gf-mono" rows={8} value={csv} placeholder={EXAMPLE} onChange={(e) => setCsv(e.target.value)} />
        </Field>
      </div>
      {preview && (
        <div className={preview.problems.length ? 'gf-form-error' : 'gf-form-ok'} data-testid="import-preview">
          {preview.rows} device{preview.rows === 1 ? '' : 's'}; columns {preview.columns.join(', ')}
          {preview.attributes.length > 0 && ` (attributes: ${preview.attributes.join(', ')})`}
          {preview.problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </div>
      )}
      <FormErrors messages={error ? [error] : []} />
      <div className="gf-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy || !preview || preview.problems.length > 0} onClick={() => void submit()} data-testid="import-submit">
          Create {preview?.rows ?? 0} devices
        </button>
      </div>
    </div>
  );
}
