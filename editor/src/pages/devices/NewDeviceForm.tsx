import { useState } from 'react';
import {
  createDeviceRequestSchema,
  deviceEndpoints,
  type CreateDeviceRequest,
  type Device,
  type Product,
} from '@gridflow/runtime/contract';
import { within } from '../shared/form-errors.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { useSchemaSubmit } from '../shared/schema-submit.js';
import { Field, FormActions, FormErrors, SubmitForm } from '../shared/ui.js';
import { initialValueText, readValues } from './value-text.js';
import { ValueFields } from './ValueInput.js';

/** Registers one device of a product, with the attribute values its model asks for. */
export function NewDeviceForm({
  products,
  productKey,
  onCreated,
  onCancel,
}: {
  products: Product[];
  productKey: string;
  onCreated: (d: Device) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<CreateDeviceRequest>({
    productKey: productKey || products[0]?.productKey || '',
    name: '',
  });
  const [attrTexts, setAttrTexts] = useState<Record<string, string>>({});
  const {
    errors,
    busy,
    submit: send,
  } = useSchemaSubmit(createDeviceRequestSchema, async (data) =>
    onCreated(await request('create the device', deviceEndpoints.createDevice, { body: data })),
  );
  const set = (patch: Partial<CreateDeviceRequest>): void => setDraft((d) => ({ ...d, ...patch }));

  const product = products.find((p) => p.productKey === draft.productKey);
  const model = useLoad(
    (signal) =>
      product
        ? request(`load thing model ${product.modelId}`, deviceEndpoints.getThingModel, {
            params: { modelId: product.modelId },
            signal,
          })
        : Promise.resolve(undefined),
    [product?.modelId],
  );
  const attributes = model.data?.model.attributes ?? [];

  const submit = (): Promise<void> => {
    const attrs = readValues(attributes, attrTexts);
    const attrErrors = Object.fromEntries(Object.entries(attrs.errors).map(([k, v]) => [`attributes.${k}`, v]));
    return send({ ...draft, attributes: attrs.values }, attrErrors);
  };

  return (
    <SubmitForm className="gf-card" testId="device-form" onSubmit={() => void submit()}>
      <h2>New device</h2>
      <div className="gf-fields">
        <Field label="Product" name="device-productKey" error={errors['productKey']}>
          <select
            value={draft.productKey}
            onChange={(e) => {
              set({ productKey: e.target.value });
              setAttrTexts({});
            }}
          >
            {products.length === 0 && <option value="">(create a product first)</option>}
            {products.map((p) => (
              <option key={p.productKey} value={p.productKey}>
                {p.name} ({p.productKey})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Name" name="device-name" error={errors['name']}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Inverter roof A" />
        </Field>
        <Field label="Device key (optional)" name="device-deviceKey" error={errors['deviceKey']}>
          <input
            value={draft.deviceKey ?? ''}
            onChange={(e) => set({ deviceKey: e.target.value || undefined })}
            placeholder="generated"
          />
        </Field>
        <Field label="Device secret (optional)" name="device-deviceSecret" error={errors['deviceSecret']}>
          <input
            value={draft.deviceSecret ?? ''}
            onChange={(e) => set({ deviceSecret: e.target.value || undefined })}
            placeholder="generated"
          />
        </Field>
        <Field label="Description" name="device-description" error={errors['description']} wide>
          <input value={draft.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Field>
      </div>
      {attributes.length > 0 && (
        <>
          <h3>Attributes</h3>
          <ValueFields
            name="device-attr"
            specs={attributes.map((a) => ({
              identifier: a.identifier,
              name: a.name,
              spec: a.spec,
              required: a.required,
            }))}
            texts={Object.fromEntries(
              attributes.map((a) => [
                a.identifier,
                attrTexts[a.identifier] ?? (a.required ? initialValueText(a.spec) : ''),
              ]),
            )}
            onChange={setAttrTexts}
            errors={within(errors, 'attributes')}
          />
        </>
      )}
      <FormErrors messages={[errors[''], errors['attributes']].filter((m): m is string => !!m)} />
      <FormActions onCancel={onCancel} submit="Create device" testId="device-create" disabled={busy || !product} />
    </SubmitForm>
  );
}
