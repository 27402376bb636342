import { useState } from 'react';
import {
  deviceEndpoints,
  updateProductRequestSchema,
  type Product,
  type UpdateProductRequest,
} from '@gridflow/runtime/contract';
import { request } from '../shared/http.js';
import { useSchemaSubmit } from '../shared/schema-submit.js';
import { Field, FormActions, FormErrors, SubmitForm } from '../shared/ui.js';

/** Changes what a product allows to change: name, description, auth mode (never its key or model). */
export function ProductEdit({
  product,
  onSaved,
  onCancel,
}: {
  product: Product;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<UpdateProductRequest>({
    name: product.name,
    description: product.description,
    authMode: product.authMode,
  });
  const { errors, busy, submit } = useSchemaSubmit(updateProductRequestSchema, async (data) => {
    await request(`save product ${product.productKey}`, deviceEndpoints.updateProduct, {
      params: { productKey: product.productKey },
      body: data,
    });
    onSaved();
  });

  return (
    <SubmitForm testId={`product-edit-${product.productKey}`} onSubmit={() => void submit(draft)}>
      <div className="gf-fields">
        <Field label="Name" name="edit-product-name" error={errors['name']}>
          <input value={draft.name ?? ''} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </Field>
        <Field label="Auth mode" name="edit-product-authMode" error={errors['authMode']}>
          <select
            value={draft.authMode}
            onChange={(e) => setDraft({ ...draft, authMode: e.target.value as Product['authMode'] })}
          >
            <option value="device-secret">device secret</option>
            <option value="dynamic">dynamic activation (product secret)</option>
          </select>
        </Field>
        <Field label="Description" name="edit-product-description" error={errors['description']} wide>
          <input
            value={draft.description ?? ''}
            onChange={(e) => setDraft({ ...draft, description: e.target.value || undefined })}
          />
        </Field>
      </div>
      <FormErrors messages={errors[''] ? [errors['']] : []} />
      <FormActions onCancel={onCancel} submit="Save" testId="product-edit-save" disabled={busy} />
    </SubmitForm>
  );
}
