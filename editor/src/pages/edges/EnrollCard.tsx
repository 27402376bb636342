import { useState } from 'react';
import { createEnrollmentSchema, endpoints, type EnrollmentCreated } from '@gridflow/runtime/contract';
import { request } from '../shared/http.js';
import { useSchemaSubmit } from '../shared/schema-submit.js';
import { Field, FormActions, FormErrors, SubmitForm } from '../shared/ui.js';
import { GatewayField } from './GatewayField.js';
import { gatewayRef } from './gateway-view.js';

/** A command or secret in a box, with a copy button. */
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

/**
 * Makes an enrollment token (single use, expiring) and shows it once, with the exact commands
 * that download, install and start the agent on the machine.
 */
export function EnrollCard({ groups, onDone }: { groups: string[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [gateway, setGateway] = useState('');
  const [created, setCreated] = useState<EnrollmentCreated>();
  const { errors, busy, submit } = useSchemaSubmit(createEnrollmentSchema, async (data) => {
    setCreated(await request('create an enrollment token', endpoints.createEnrollment, { body: data }));
  });

  const create = (): Promise<void> =>
    submit({
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(group.trim() ? { group: group.trim() } : {}),
      expiresInMinutes: Number(minutes),
      ...(gateway.trim() ? { gateway: gatewayRef(gateway.trim()) } : {}),
    });

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
    <div className="gf-card">
      <SubmitForm testId="enroll-form" onSubmit={() => void create()}>
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
          <GatewayField
            label="Gateway device (optional: device post nodes post as it and its sub-devices)"
            name="enroll-gateway"
            value={gateway}
            onChange={setGateway}
            errors={errors}
          />
        </div>
        <datalist id="gf-enroll-groups">
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <FormErrors messages={errors[''] ? [errors['']] : []} />
        <FormActions onCancel={onDone} submit="Create token" testId="enroll-create" disabled={busy} />
      </SubmitForm>
    </div>
  );
}
