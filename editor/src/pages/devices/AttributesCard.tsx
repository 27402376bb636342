import { useState } from 'react';
import { deviceEndpoints, type Device, type ThingModel } from '@gridflow/runtime/contract';
import { formatValue } from '../shared/format.js';
import { requestFieldErrors, within, type FieldErrors } from '../shared/form-errors.js';
import { request } from '../shared/http.js';
import { FormErrors } from '../shared/ui.js';
import { initialValueText, readValues } from './value-text.js';
import { ValueFields } from './ValueInput.js';

/** The text of a stored attribute value in its input. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The device's attribute values by the model's attributes; editable, saved as a PATCH. */
export function AttributesCard({ device, model, onSaved }: { device: Device; model: ThingModel | undefined; onSaved: () => void }) {
  const attributes = model?.attributes ?? [];
  const [editing, setEditing] = useState(false);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const unknown = Object.keys(device.attributes).filter((k) => !attributes.some((a) => a.identifier === k));

  const start = (): void => {
    setTexts(Object.fromEntries(attributes.map((a) => [a.identifier, device.attributes[a.identifier] !== undefined ? textOf(device.attributes[a.identifier]) : a.required ? initialValueText(a.spec) : ''])));
    setErrors({});
    setEditing(true);
  };

  const save = async (): Promise<void> => {
    const read = readValues(attributes, texts);
    if (Object.keys(read.errors).length > 0) return setErrors(Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [`attributes.${k}`, v])));
    // An input emptied removes the stored value (null), as the contract's PATCH says.
    const patch: Record<string, unknown> = { ...read.values };
    for (const a of attributes) if (!(a.identifier in read.values) && device.attributes[a.identifier] !== undefined) patch[a.identifier] = null;
    setBusy(true);
    try {
      await request(`save the attributes of ${device.deviceKey}`, deviceEndpoints.updateDevice, {
        params: { productKey: device.productKey, deviceKey: device.deviceKey },
        body: { attributes: patch },
      });
      setEditing(false);
      onSaved();
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="device-attributes">
      <h3 style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        Attributes
        {attributes.length > 0 && !editing && (
          <button type="button" onClick={start} data-testid="attributes-edit">
            Edit
          </button>
        )}
      </h3>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <ValueFields name="attr" specs={attributes} texts={texts} onChange={setTexts} errors={within(errors, 'attributes')} />
          <FormErrors messages={errors[''] ? [errors['']] : []} />
          <div className="gf-actions">
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="attributes-save">
              Save attributes
            </button>
          </div>
        </form>
      ) : (
        <table className="gf-table">
          <tbody>
            {attributes.map((a) => (
              <tr key={a.identifier}>
                <td title={a.identifier}>{a.name}</td>
                <td data-testid={`attribute-${a.identifier}`}>{formatValue(device.attributes[a.identifier])}</td>
              </tr>
            ))}
            {unknown.map((k) => (
              <tr key={k}>
                <td>{k}</td>
                <td>{formatValue(device.attributes[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {attributes.length === 0 && unknown.length === 0 && <div className="gf-empty">No attributes.</div>}
    </div>
  );
}
