import type { DataSpec } from '@gridflow/runtime/contract';
import { Field } from '../shared/ui.js';
import type { NamedSpec } from './value-text.js';

/** One input for a value of a spec: a select for bool and enum, JSON text for arrays and structs. */
export function ValueInput({ spec, value, onChange, label }: { spec: DataSpec; value: string; onChange: (text: string) => void; label: string }) {
  if (spec.type === 'bool') {
    return (
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        <option value="false">false</option>
        <option value="true">true</option>
      </select>
    );
  }
  if (spec.type === 'enum') {
    return (
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {spec.values.map((v) => (
          <option key={v.value} value={String(v.value)}>
            {v.value} = {v.label}
          </option>
        ))}
      </select>
    );
  }
  if (spec.type === 'array' || spec.type === 'struct') {
    return <textarea className="gf-mono" rows={3} value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} />;
  }
  const numeric = spec.type === 'int' || spec.type === 'float' || spec.type === 'double';
  const placeholder = numeric && (spec.min !== undefined || spec.max !== undefined) ? `${spec.min ?? ''}…${spec.max ?? ''}` : spec.type === 'date' ? 'ISO 8601 or epoch ms' : '';
  return <input value={value} inputMode={numeric ? 'decimal' : undefined} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} aria-label={label} />;
}

/** A labelled input per spec (service parameters, attribute values), errors by identifier. */
export function ValueFields({
  specs,
  texts,
  onChange,
  errors,
  name,
}: {
  specs: readonly (NamedSpec & { name?: string | undefined })[];
  texts: Record<string, string>;
  onChange: (texts: Record<string, string>) => void;
  errors: Record<string, string>;
  name: string;
}) {
  return (
    <div className="gf-fields">
      {specs.map((s) => {
        const unit = 'unit' in s.spec && s.spec.unit ? ` (${s.spec.unit})` : '';
        return (
          <Field
            key={s.identifier}
            label={`${s.name ?? s.identifier}${unit}${s.required ? ' *' : ''} · ${s.spec.type}`}
            name={`${name}-${s.identifier}`}
            error={errors[s.identifier]}
            wide={s.spec.type === 'array' || s.spec.type === 'struct'}
          >
            <ValueInput spec={s.spec} value={texts[s.identifier] ?? ''} onChange={(t) => onChange({ ...texts, [s.identifier]: t })} label={s.identifier} />
          </Field>
        );
      })}
    </div>
  );
}
