import { useState } from 'react';
import { createEnrollmentSchema, deviceEndpoints, endpoints, type EnrollmentCreated } from '@gridflow/runtime/contract';
import { requestFieldErrors, validate, type FieldErrors } from '../shared/form-errors.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { Field, FormErrors } from '../shared/ui.js';

/** A command or secret in a box, with a copy button. */
/** `productKey/deviceKey` as a device reference (a missing half is left empty for the schema to name). */
const gatewayRef = (text: string) => {
  const at = text.indexOf('/');
  return at < 0
    ? { productKey: text, deviceKey: '' }
    : { productKey: text.slice(0, at), deviceKey: text.slice(at + 1) };
};

export function CopyBlock({ text, testId }: { text: string; testId: string }) {
  return (
    <div className="gf-edge-copy">
      <div className="gf-secret" data-testid={testId}>
        {text}
      </div>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
        Copy
      </button>
    </div>
  );
}

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
 * Makes an enrollment token (single use, expiring) and shows it once, with the exact commands
 * that download, install and start the agent on the machine.
 */
export function EnrollCard({ groups, onDone }: { groups: string[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [gateway, setGateway] = useState('');
  // Without the devices module (or the right) there is simply no list to pick from.
  const gateways = useLoad((signal) => gatewayDevices(signal).catch(() => [] as string[]), []);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<EnrollmentCreated>();

  const create = async (): Promise<void> => {
    const input = {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(group.trim() ? { group: group.trim() } : {}),
      expiresInMinutes: Number(minutes),
      ...(gateway.trim() ? { gateway: gatewayRef(gateway.trim()) } : {}),
    };
    const checked = validate(createEnrollmentSchema, input);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    try {
      setCreated(await request('create an enrollment token', endpoints.createEnrollment, { body: checked.data }));
      setErrors({});
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <div className="gf-card" data-testid="enroll-created">
        <h2>Enroll {created.name ?? 'an edge'}</h2>
        <p>
          The token works once, until {new Date(created.expiresAt).toLocaleString(undefined, { hour12: false })}. This
          page shows it only now. On the edge machine (Node.js 20 or later), run:
        </p>
        {created.commands.map((c, i) => (
          <CopyBlock key={c} text={c} testId={`enroll-command-${i}`} />
        ))}
        <h3>Token</h3>
        <CopyBlock text={created.token} testId="enroll-token" />
        <div className="gf-actions">
          <button type="button" className="primary" onClick={onDone} data-testid="enroll-done">
            Done
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="gf-card" data-testid="enroll-form">
      <h2>Enroll an edge</h2>
      <div className="gf-fields">
        <Field label="Name (optional: else the edge's host name)" name="enroll-name" error={errors['name']}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="press-1" />
        </Field>
        <Field label="Group (optional)" name="enroll-group" error={errors['group']}>
          <input
            value={group}
            onChange={(e) => setGroup(e.target.value)}
            list="gf-enroll-groups"
            placeholder="plant-a"
          />
        </Field>
        <Field label="Token expires in (minutes)" name="enroll-expires" error={errors['expiresInMinutes']}>
          <input type="number" min={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </Field>
        <Field
          label="Gateway device (optional: device post nodes post as it and its sub-devices)"
          name="enroll-gateway"
          error={errors['gateway'] ?? errors['gateway.productKey'] ?? errors['gateway.deviceKey']}
        >
          <input
            value={gateway}
            onChange={(e) => setGateway(e.target.value)}
            list="gf-enroll-gateways"
            placeholder="productKey/deviceKey"
          />
        </Field>
      </div>
      <datalist id="gf-enroll-gateways">
        {(gateways.data ?? []).map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <datalist id="gf-enroll-groups">
        {groups.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <FormErrors messages={errors[''] ? [errors['']] : []} />
      <div className="gf-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void create()}
          data-testid="enroll-create"
        >
          Create token
        </button>
      </div>
    </div>
  );
}
