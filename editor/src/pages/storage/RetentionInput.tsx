import { retentionUnits, type Retention } from '@gridflow/runtime/contract';
import { numberOrUndefined } from '../models/draft.js';

/** A retention: "forever", or a number and a unit. */
export function RetentionInput({
  value,
  onChange,
  name,
}: {
  value: Retention | null;
  onChange: (r: Retention | null) => void;
  name: string;
}) {
  return (
    <span style={{ display: 'inline-flex', gap: 4 }} data-testid={name}>
      <select
        value={value ? value.unit : 'forever'}
        aria-label="retention unit"
        onChange={(e) =>
          onChange(
            e.target.value === 'forever'
              ? null
              : { value: value?.value ?? 30, unit: e.target.value as Retention['unit'] },
          )
        }
      >
        <option value="forever">forever</option>
        {retentionUnits.map((u) => (
          <option key={u} value={u}>
            {u.toLowerCase()}
          </option>
        ))}
      </select>
      {value && (
        <input
          type="number"
          min={1}
          style={{ width: 80 }}
          aria-label="retention value"
          value={Number.isNaN(value.value) ? '' : value.value}
          onChange={(e) => onChange({ ...value, value: numberOrUndefined(e.target.value) ?? Number.NaN })}
        />
      )}
    </span>
  );
}
