import { useState } from 'react';
import type { z } from 'zod';
import { requestFieldErrors, validate, type FieldErrors } from './form-errors.js';

export interface SchemaSubmit {
  errors: FieldErrors;
  setErrors: (errors: FieldErrors) => void;
  busy: boolean;
  /**
   * Checks `value` with the contract schema (plus `extra` errors the form found itself), then
   * sends it; the schema's or the server's field errors land in `errors` the same way.
   */
  submit: (value: unknown, extra?: FieldErrors) => Promise<void>;
}

export function useSchemaSubmit<S extends z.ZodType>(
  schema: S,
  send: (data: z.infer<S>) => Promise<void>,
): SchemaSubmit {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (value: unknown, extra: FieldErrors = {}): Promise<void> => {
    const checked = validate(schema, value);
    if (!checked.ok || Object.keys(extra).length > 0)
      return setErrors({ ...(checked.ok ? {} : checked.errors), ...extra });
    setErrors({});
    setBusy(true);
    try {
      await send(checked.data);
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, submit };
}
