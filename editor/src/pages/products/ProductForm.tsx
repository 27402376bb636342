import { useState } from 'react';
import {
  createProductRequestSchema,
  deviceEndpoints,
  type CreateProductRequest,
  type Product,
  type StoredThingModel,
} from '@gridflow/runtime/contract';
import { request } from '../shared/http.js';
import { useSchemaSubmit } from '../shared/schema-submit.js';
import { Field, FormActions, FormErrors, SubmitForm } from '../shared/ui.js';

/** Creates a product: its model, auth mode, node type; key and secret are generated unless given. */
export function ProductForm({
  models,
  onCreated,
  onCancel,
}: {
  models: StoredThingModel[];
  onCreated: (p: Product) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<CreateProductRequest>({
    name: '',
    modelId: models[0]?.model.id ?? '',
    authMode: 'device-secret',
    nodeType: 'device',
  });
  const { errors, busy, submit } = useSchemaSubmit(createProductRequestSchema, async (data) =>
    onCreated(await request('create the product', deviceEndpoints.createProduct, { body: data })),
  );
  const set = (patch: Partial<CreateProductRequest>): void => setDraft((d) => ({ ...d, ...patch }));

  return (
    <SubmitForm className="gf-card" testId="product-form" onSubmit={() => void submit(draft)}>
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
          <select
            value={draft.authMode}
            onChange={(e) => set({ authMode: e.target.value as CreateProductRequest['authMode'] })}
          >
            <option value="device-secret">device secret</option>
            <option value="dynamic">dynamic activation (product secret)</option>
          </select>
        </Field>
        <Field label="Node type" name="product-nodeType" error={errors['nodeType']}>
          <select
            value={draft.nodeType}
            onChange={(e) => set({ nodeType: e.target.value as CreateProductRequest['nodeType'] })}
          >
            <option value="device">device</option>
            <option value="gateway">gateway</option>
          </select>
        </Field>
        <Field label="Product key (optional)" name="product-productKey" error={errors['productKey']}>
          <input
            value={draft.productKey ?? ''}
            onChange={(e) => set({ productKey: e.target.value || undefined })}
            placeholder="generated"
          />
        </Field>
        <Field label="Product secret (optional)" name="product-productSecret" error={errors['productSecret']}>
          <input
            value={draft.productSecret ?? ''}
            onChange={(e) => set({ productSecret: e.target.value || undefined })}
            placeholder="generated"
          />
        </Field>
        <Field label="Description" name="product-description" error={errors['description']} wide>
          <input value={draft.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Field>
      </div>
      <FormErrors messages={errors[''] ? [errors['']] : []} />
      <FormActions onCancel={onCancel} submit="Create product" testId="product-create" disabled={busy} />
    </SubmitForm>
  );
}
