import { useState } from 'react';
import { createProductRequestSchema, deviceEndpoints, type CreateProductRequest, type Product, type StoredThingModel } from '@gridflow/runtime/contract';
import { requestFieldErrors, validate, type FieldErrors } from '../shared/form-errors.js';
import { request } from '../shared/http.js';
import { Field, FormErrors } from '../shared/ui.js';

/** Creates a product: its model, auth mode, node type; key and secret are generated unless given. */
export function ProductForm({ models, onCreated, onCancel }: { models: StoredThingModel[]; onCreated: (p: Product) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<CreateProductRequest>({ name: '', modelId: models[0]?.model.id ?? '', authMode: 'device-secret', nodeType: 'device' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<CreateProductRequest>): void => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (): Promise<void> => {
    const checked = validate(createProductRequestSchema, draft);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      onCreated(await request('create the product', deviceEndpoints.createProduct, { body: checked.data }));
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="gf-card"
      data-testid="product-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>New product</h2>
      <div className="gf-fields">
        <Field label="Name" name="product-name" error={errors['name']}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Inverter 5 kW" />
        </Field>
        <Field label="Thing model" name="product-model" error={errors['modelId']}>
          <select value={draft.modelId} onChange={(e) => set({ modelId: e.target.value })}>
            {models.length === 0 && <option value="">(create a thing model first)</option>}
            {models.map((m) => (
              <option key={m.model.id} value={m.model.id}>
                {m.model.name} ({m.model.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Auth mode" name="product-authMode" error={errors['authMode']}>
          <select value={draft.authMode} onChange={(e) => set({ authMode: e.target.value as CreateProductRequest['authMode'] })}>
            <option value="device-secret">device secret</option>
            <option value="dynamic">dynamic activation (product secret)</option>
          </select>
        </Field>
        <Field label="Node type" name="product-nodeType" error={errors['nodeType']}>
          <select value={draft.nodeType} onChange={(e) => set({ nodeType: e.target.value as CreateProductRequest['nodeType'] })}>
            <option value="device">device</option>
            <option value="gateway">gateway</option>
          </select>
        </Field>
        <Field label="Product key (optional)" name="product-productKey" error={errors['productKey']}>
          <input value={draft.productKey ?? ''} onChange={(e) => set({ productKey: e.target.value || undefined })} placeholder="generated" />
        </Field>
        <Field label="Product secret (optional)" name="product-productSecret" error={errors['productSecret']}>
          <input value={draft.productSecret ?? ''} onChange={(e) => set({ productSecret: e.target.value || undefined })} placeholder="generated" />
        </Field>
        <Field label="Description" name="product-description" error={errors['description']} wide>
          <input value={draft.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Field>
      </div>
      <FormErrors messages={errors[''] ? [errors['']] : []} />
      <div className="gf-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="product-create">
          Create product
        </button>
      </div>
    </form>
  );
}
