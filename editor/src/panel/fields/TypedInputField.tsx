import { TYPED_INPUT_LABELS, checkTypedValue, type TypedInputType } from '../../model/index.js';
import { asText, type FieldProps } from './types.js';

/** Node-RED's typed input: a type (msg, flow, str, num, json, …) and a value, stored in two properties. */
export function TypedInputField({ plan, obj, onPatch, testId }: FieldProps) {
  if (plan.field.kind !== 'typed') return null;
  const { valueKey, typeKey, types } = plan.field.pair;
  const fallback = (plan.schema.default as string | undefined) ?? types[0] ?? 'str';
  const type = typeof obj[typeKey] === 'string' ? (obj[typeKey] as string) : fallback;
  const value = asText(obj[valueKey]);
  const problem = checkTypedValue(type, value);
  const setType = (t: string): void => {
    const patch: Record<string, unknown> = { [typeKey]: t };
    if (t === 'bool' && value !== 'true' && value !== 'false') patch[valueKey] = 'true';
    if (t === 'date') patch[valueKey] = '';
    onPatch(patch);
  };
  const shown = types.includes(type as TypedInputType) ? types : [...types, type as TypedInputType];
  return (
    <div className="gf-typed">
      <select data-testid={`${testId}-type`} value={type} onChange={(e) => setType(e.target.value)} title="value type">
        {shown.map((t) => (
          <option key={t} value={t}>
            {TYPED_INPUT_LABELS[t] ?? t}
          </option>
        ))}
      </select>
      {type === 'bool' ? (
        <select data-testid={testId} value={value} onChange={(e) => onPatch({ [valueKey]: e.target.value })}>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : type === 'date' ? (
        <span className="gf-muted gf-typed-note">the current time (ms)</span>
      ) : (
        <input
          data-testid={testId}
          type="text"
          className={problem ? 'bad' : ''}
          value={value}
          placeholder={type === 'msg' ? 'payload' : ''}
          onChange={(e) => onPatch({ [valueKey]: e.target.value })}
        />
      )}
    </div>
  );
}
