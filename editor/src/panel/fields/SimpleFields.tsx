import { useEffect, useState } from 'react';
import { asText, type FieldProps } from './types.js';

export function TextField({ plan, obj, onPatch, testId }: FieldProps) {
  const value = asText(obj[plan.key]);
  const multiline = plan.field.kind === 'text' && plan.field.multiline;
  return multiline ? (
    <textarea data-testid={testId} value={value} rows={4} onChange={(e) => onPatch({ [plan.key]: e.target.value })} />
  ) : (
    <input data-testid={testId} type="text" value={value} onChange={(e) => onPatch({ [plan.key]: e.target.value })} />
  );
}

/** Keeps what the user typed until it is a number; Node-RED sometimes stores numbers as strings. */
export function NumberField({ plan, obj, onPatch, testId }: FieldProps) {
  const stored = obj[plan.key];
  const [text, setText] = useState(asText(stored));
  useEffect(() => setText(asText(stored)), [stored]);
  const integer = plan.field.kind === 'number' && plan.field.integer;
  const commit = (t: string): void => {
    setText(t);
    if (t.trim() === '') {
      onPatch({ [plan.key]: plan.required ? t : undefined });
      return;
    }
    const n = Number(t);
    if (Number.isFinite(n)) onPatch({ [plan.key]: typeof stored === 'string' ? t : n });
  };
  const bad = text.trim() !== '' && (!Number.isFinite(Number(text)) || (integer && !Number.isInteger(Number(text))));
  return (
    <input
      data-testid={testId}
      type="text"
      inputMode="decimal"
      className={bad ? 'bad' : ''}
      value={text}
      onChange={(e) => commit(e.target.value)}
    />
  );
}

export function BooleanField({ plan, obj, onPatch, testId }: FieldProps) {
  const v = obj[plan.key];
  return (
    <input
      data-testid={testId}
      type="checkbox"
      checked={v === true || v === 'true'}
      onChange={(e) => onPatch({ [plan.key]: typeof v === 'string' ? String(e.target.checked) : e.target.checked })}
    />
  );
}

export function SelectField({ plan, obj, onPatch, testId }: FieldProps) {
  const options = plan.field.kind === 'select' ? plan.field.options : [];
  const value = obj[plan.key];
  const index = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
  return (
    <select
      data-testid={testId}
      value={index < 0 ? '' : String(index)}
      onChange={(e) => onPatch({ [plan.key]: e.target.value === '' ? undefined : options[Number(e.target.value)] })}
    >
      {index < 0 && <option value="">{value === undefined ? '—' : `${asText(value)} (not allowed)`}</option>}
      {options.map((o, i) => (
        <option key={i} value={String(i)}>
          {asText(o)}
        </option>
      ))}
    </select>
  );
}

/** Free JSON: kept as text while it does not parse, written to the node once it does. */
export function JsonField({ plan, obj, onPatch, testId }: FieldProps) {
  const stored = obj[plan.key];
  const [text, setText] = useState(() => (stored === undefined ? '' : JSON.stringify(stored, null, 2)));
  const [error, setError] = useState('');
  useEffect(() => {
    setText((t) => {
      try {
        if (t.trim() !== '' && JSON.stringify(JSON.parse(t)) === JSON.stringify(stored)) return t;
      } catch {
        // The field holds text being typed that does not parse yet: replace it with the stored value.
      }
      return stored === undefined ? '' : JSON.stringify(stored, null, 2);
    });
  }, [stored]);
  const change = (t: string): void => {
    setText(t);
    if (t.trim() === '') {
      setError('');
      onPatch({ [plan.key]: undefined });
      return;
    }
    try {
      const parsed: unknown = JSON.parse(t);
      setError('');
      onPatch({ [plan.key]: parsed });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <textarea data-testid={testId} className={`gf-json${error ? ' bad' : ''}`} rows={4} value={text} onChange={(e) => change(e.target.value)} />
      {error && <div className="gf-field-error">{error}</div>}
    </>
  );
}
