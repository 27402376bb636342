import { dataTypes, type DataSpecInput, type DataType } from '@gridflow/runtime/contract';
import { Field } from '../shared/ui.js';
import { within, type FieldErrors } from '../shared/form-errors.js';
import { numberOrUndefined, removeAt, replaceAt, specOfType } from './draft.js';

type Primitive = Exclude<DataType, 'array' | 'struct'>;
const primitiveTypes: readonly Primitive[] = ['int', 'float', 'double', 'bool', 'string', 'enum', 'date'];

interface SpecProps<S extends DataSpecInput = DataSpecInput> {
  value: S;
  onChange: (spec: S) => void;
  /** Errors relative to the spec ('type', 'max', 'values.1.label', …). */
  errors: FieldErrors;
  /** Test-id prefix, e.g. 'point-0-spec'. */
  name: string;
  types?: readonly DataType[];
}

/** Edits a data spec: the type, then what that type needs (unit and range, enum values, fields, item type). */
export function SpecEditor({ value, onChange, errors, name, types = dataTypes }: SpecProps) {
  const offered = types.includes(value.type) ? types : [...types, value.type];
  return (
    <>
      <Field label="Data type" name={`${name}-type`} error={errors['type']}>
        <select value={value.type} onChange={(e) => onChange(specOfType(e.target.value as DataType, value))}>
          {offered.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <SpecDetails value={value} onChange={onChange} errors={errors} name={name} />
    </>
  );
}

function SpecDetails({ value, onChange, errors, name }: SpecProps) {
  switch (value.type) {
    case 'int':
    case 'float':
    case 'double':
      return (
        <>
          <Field label="Unit" name={`${name}-unit`} error={errors['unit']}>
            <input value={value.unit ?? ''} placeholder="kW, °C, …" onChange={(e) => onChange({ ...value, unit: e.target.value || undefined })} />
          </Field>
          <Field label="Min" name={`${name}-min`} error={errors['min']}>
            <input
              type="number"
              value={value.min ?? ''}
              onChange={(e) => onChange({ ...value, min: numberOrUndefined(e.target.value) })}
            />
          </Field>
          <Field label="Max" name={`${name}-max`} error={errors['max']}>
            <input
              type="number"
              value={value.max ?? ''}
              onChange={(e) => onChange({ ...value, max: numberOrUndefined(e.target.value) })}
            />
          </Field>
        </>
      );
    case 'string':
      return (
        <Field label="Max length" name={`${name}-maxLength`} error={errors['maxLength']}>
          <input
            type="number"
            value={value.maxLength ?? ''}
            onChange={(e) => onChange({ ...value, maxLength: numberOrUndefined(e.target.value) })}
          />
        </Field>
      );
    case 'enum':
      return (
        <Field label="Values (number = label)" name={`${name}-values`} error={errors['values']} wide>
          {value.values.map((v, i) => (
            <span key={i} style={{ display: 'flex', gap: 6, marginBottom: 3 }}>
              <input
                type="number"
                style={{ width: 80 }}
                value={v.value}
                aria-label="value"
                onChange={(e) => onChange({ ...value, values: replaceAt(value.values, i, { ...v, value: numberOrUndefined(e.target.value) ?? 0 }) })}
              />
              <input
                value={v.label}
                aria-label="label"
                className={errors[`values.${i}.label`] ? 'bad' : undefined}
                onChange={(e) => onChange({ ...value, values: replaceAt(value.values, i, { ...v, label: e.target.value }) })}
              />
              <button type="button" onClick={() => onChange({ ...value, values: removeAt(value.values, i) })} title="remove value">
                ×
              </button>
            </span>
          ))}
          <span>
            <button
              type="button"
              onClick={() => onChange({ ...value, values: [...value.values, { value: Math.max(-1, ...value.values.map((v) => v.value)) + 1, label: '' }] })}
            >
              + value
            </button>
          </span>
        </Field>
      );
    case 'array':
      return (
        <>
          <Field label="Item type" name={`${name}-items`} error={errors['items.type'] ?? errors['items']}>
            <select
              value={value.items.type}
              onChange={(e) => {
                const t = e.target.value as Primitive | 'struct';
                const items = specOfType(t);
                if (items.type !== 'array') onChange({ ...value, items });
              }}
            >
              {[...primitiveTypes, 'struct' as const].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Max items" name={`${name}-maxItems`} error={errors['maxItems']}>
            <input type="number" value={value.maxItems ?? ''} onChange={(e) => onChange({ ...value, maxItems: numberOrUndefined(e.target.value) })} />
          </Field>
          {value.items.type === 'struct' && (
            <StructFields
              spec={value.items}
              onChange={(items) => onChange({ ...value, items })}
              errors={within(errors, 'items')}
              name={`${name}-items`}
            />
          )}
        </>
      );
    case 'struct':
      return <StructFields spec={value} onChange={onChange} errors={errors} name={name} />;
    default:
      return null;
  }
}

type StructSpec = Extract<DataSpecInput, { type: 'struct' }>;

/** The fields of a struct: identifier, primitive type and required flag each. */
function StructFields({ spec, onChange, errors, name }: { spec: StructSpec; onChange: (s: StructSpec) => void; errors: FieldErrors; name: string }) {
  return (
    <Field label="Struct fields" name={`${name}-fields`} error={errors['fields']} wide>
      {spec.fields.map((f, i) => (
        <span key={i} style={{ display: 'flex', gap: 6, marginBottom: 3, alignItems: 'center' }}>
          <input
            value={f.identifier}
            aria-label="field identifier"
            className={errors[`fields.${i}.identifier`] ? 'bad' : undefined}
            title={errors[`fields.${i}.identifier`]}
            onChange={(e) => onChange({ ...spec, fields: replaceAt(spec.fields, i, { ...f, identifier: e.target.value }) })}
          />
          <select
            value={f.spec.type}
            aria-label="field type"
            onChange={(e) => {
              const s = specOfType(e.target.value as Primitive);
              if (s.type !== 'struct' && s.type !== 'array') onChange({ ...spec, fields: replaceAt(spec.fields, i, { ...f, spec: s }) });
            }}
          >
            {primitiveTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <label className="gf-radio">
            <input
              type="checkbox"
              checked={f.required ?? false}
              onChange={(e) => onChange({ ...spec, fields: replaceAt(spec.fields, i, { ...f, required: e.target.checked }) })}
            />
            required
          </label>
          <button type="button" onClick={() => onChange({ ...spec, fields: removeAt(spec.fields, i) })} title="remove field">
            ×
          </button>
          {errors[`fields.${i}.identifier`] && <span className="gf-field-error">{errors[`fields.${i}.identifier`]}</span>}
        </span>
      ))}
      <span>
        <button
          type="button"
          onClick={() => onChange({ ...spec, fields: [...spec.fields, { identifier: `field${spec.fields.length + 1}`, spec: { type: 'double' } }] })}
        >
          + field
        </button>
      </span>
    </Field>
  );
}
