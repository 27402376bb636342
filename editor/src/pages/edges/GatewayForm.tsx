import { useState } from 'react';
import { endpoints, patchEdgeSchema, type EdgeInfo } from '@gridflow/runtime/contract';
import { request } from '../shared/http.js';
import { useSchemaSubmit } from '../shared/schema-submit.js';
import { FormActions, FormErrors, SubmitForm } from '../shared/ui.js';
import { GatewayField } from './GatewayField.js';
import { gatewayRef, gatewayText } from './gateway-view.js';

/**
 * Binds an enrolled edge to a registered gateway device, changes it, or unbinds it (an empty
 * choice, or Unbind): its device post nodes then post as that device and its sub-devices.
 */
export function GatewayForm({
  edge,
  onSaved,
  onCancel,
}: {
  edge: EdgeInfo;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(gatewayText(edge.gateway));
  const { errors, busy, submit } = useSchemaSubmit(patchEdgeSchema, async (data) => {
    await request(`set the gateway of edge ${edge.name}`, endpoints.updateEdge, {
      params: { id: edge.id },
      body: data,
    });
    onSaved();
  });
  const save = (value: string): Promise<void> =>
    submit({ gateway: value.trim() === '' ? null : gatewayRef(value.trim()) });

  return (
    <SubmitForm
      testId={`edge-gateway-form-${edge.name}`}
      className="gf-edge-gateway-form"
      onSubmit={() => void save(text)}
    >
      <div className="gf-fields">
        <GatewayField
          label={`Gateway device of ${edge.name} (empty: none)`}
          name={`gateway-${edge.name}`}
          value={text}
          onChange={setText}
          errors={errors}
          autoFocus
        />
      </div>
      <FormErrors messages={errors[''] ? [errors['']] : []} />
      <div className="gf-edge-gateway-actions">
        {edge.gateway && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void save('')}
            data-testid={`edge-unbind-${edge.name}`}
          >
            Unbind
          </button>
        )}
        <FormActions
          onCancel={onCancel}
          submit="Save gateway"
          testId={`edge-gateway-save-${edge.name}`}
          disabled={busy}
        />
      </div>
    </SubmitForm>
  );
}
