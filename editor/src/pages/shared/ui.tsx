import type { ReactNode } from 'react';

/** A page's title row: title, a note, and actions on the right. */
export function PageHead({ title, note, children }: { title: string; note?: ReactNode; children?: ReactNode }) {
  return (
    <div className="gf-page-head">
      <h1>{title}</h1>
      {note !== undefined && <small>{note}</small>}
      <span className="spacer" />
      {children}
    </div>
  );
}

/** A labelled form control with its error under it. `name` becomes the test id `field-{name}`. */
export function Field({
  label,
  error,
  name,
  wide,
  children,
}: {
  label: string;
  error?: string | undefined;
  name: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const cls = ['gf-field', wide ? 'wide' : '', error ? 'has-error' : ''].filter(Boolean).join(' ');
  return (
    <label className={cls} data-testid={`field-${name}`}>
      <span>{label}</span>
      {children}
      {error && (
        <span className="gf-field-error" data-testid={`error-${name}`}>
          {error}
        </span>
      )}
    </label>
  );
}

/** Form-level errors (or those whose field is not on screen). */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="gf-form-error" data-testid="form-error">
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

export function Pill({ kind, children }: { kind: string; children?: ReactNode }) {
  return <span className={`gf-pill ${kind}`}>{children ?? kind}</span>;
}

/** An error loading a page's data, with a retry. */
export function LoadError({ message, retry }: { message: string; retry?: () => void }) {
  return (
    <div className="gf-form-error" data-testid="load-error">
      {message}{' '}
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A form that submits on Enter and on its submit button, without reloading the page. */
export function SubmitForm({
  testId,
  className,
  onSubmit,
  children,
}: {
  testId: string;
  className?: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={className}
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** Cancel and the form's submit button. */
export function FormActions({
  onCancel,
  submit,
  testId,
  disabled,
}: {
  onCancel: () => void;
  submit: string;
  testId: string;
  disabled: boolean;
}) {
  return (
    <div className="gf-actions">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={disabled} data-testid={testId}>
        {submit}
      </button>
    </div>
  );
}
