import { useId } from 'react';
import { deviceEndpoints } from '@gridflow/runtime/contract';
import type { FieldErrors } from '../shared/form-errors.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { Field } from '../shared/ui.js';
import { gatewayError } from './gateway-view.js';

/** Registered gateway devices as `productKey/deviceKey`, for the gateway choice. */
async function gatewayDevices(signal: AbortSignal): Promise<string[]> {
  const { products } = await request('load products', deviceEndpoints.listProducts, { signal });
  const lists = await Promise.all(
    products
      .filter((p) => p.nodeType === 'gateway')
      .map((p) =>
        request(`load the devices of ${p.productKey}`, deviceEndpoints.listDevices, {
          query: { productKey: p.productKey, limit: 1000 },
          signal,
        }),
      ),
  );
  return lists.flatMap((l) => l.devices.map((d) => `${d.productKey}/${d.deviceKey}`));
}

/**
 * A gateway device as `productKey/deviceKey`, offering the registered gateway devices; the
 * server checks the choice (registered, enabled, of a gateway product) and its error shows here.
 */
export function GatewayField({
  label,
  name,
  value,
  onChange,
  errors,
  autoFocus,
}: {
  label: string;
  /** The Field's name: test ids `field-{name}` and `error-{name}`. */
  name: string;
  value: string;
  onChange: (text: string) => void;
  errors: FieldErrors;
  autoFocus?: boolean;
}) {
  const listId = useId();
  // Without the devices module (or the right) there is simply no list to pick from.
  const gateways = useLoad((signal) => gatewayDevices(signal).catch(() => [] as string[]), []);
  return (
    <Field label={label} name={name} error={gatewayError(errors)}>
      <input
        value={value}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        list={listId}
        placeholder="productKey/deviceKey"
      />
      <datalist id={listId}>
        {(gateways.data ?? []).map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
    </Field>
  );
}
