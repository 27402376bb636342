import { within, type FieldErrors } from '../shared/form-errors.js';
import { Field } from '../shared/ui.js';
import { newParam, removeAt, replaceAt, type ParamDraft } from './draft.js';
import { SpecEditor } from './SpecEditor.js';

/** The input or output parameters of an event or service. */
export function ParamList({
  title,
  value,
  onChange,
  errors,
  name,
}: {
  title: string;
  value: ParamDraft[];
  onChange: (params: ParamDraft[]) => void;
  errors: FieldErrors;
  name: string;
}) {
  return (
    <div className="gf-params" data-testid={name}>
      <div className="gf-element-head">
        {title}
        <span className="spacer" />
        <button type="button" data-testid={`${name}-add`} onClick={() => onChange([...value, newParam(value)])}>
          + parameter
        </button>
      </div>
      {errors[''] && <div className="gf-field-error">{errors['']}</div>}
      {value.length === 0 && <div className="gf-muted">none</div>}
      {value.map((p, i) => {
        const e = within(errors, String(i));
        const set = (patch: Partial<ParamDraft>): void => onChange(replaceAt(value, i, { ...p, ...patch }));
        return (
          <div className="gf-fields" key={i} style={{ marginBottom: 6 }}>
            <Field label="Identifier" name={`${name}-${i}-identifier`} error={e['identifier']}>
              <input value={p.identifier} onChange={(ev) => set({ identifier: ev.target.value })} />
            </Field>
            <Field label="Name" name={`${name}-${i}-name`} error={e['name']}>
              <input value={p.name ?? ''} onChange={(ev) => set({ name: ev.target.value || undefined })} />
            </Field>
            <SpecEditor value={p.spec} onChange={(spec) => set({ spec })} errors={within(e, 'spec')} name={`${name}-${i}-spec`} />
            <label className="gf-field check">
              <input type="checkbox" checked={p.required ?? false} onChange={(ev) => set({ required: ev.target.checked })} /> required
              <button type="button" className="danger" style={{ marginLeft: 'auto' }} onClick={() => onChange(removeAt(value, i))}>
                Remove
              </button>
            </label>
          </div>
        );
      })}
    </div>
  );
}
