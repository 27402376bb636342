import { useState, type ReactNode } from 'react';
import { deviceEndpoints, thingModelSchema, type StoredThingModel } from '@gridflow/runtime/contract';
import { requestFieldErrors, validate, within, type FieldErrors } from '../shared/form-errors.js';
import { request } from '../shared/http.js';
import { Field, FormErrors } from '../shared/ui.js';
import { newAttribute, newEvent, newPoint, newService, removeAt, replaceAt, type ModelDraft } from './draft.js';
import { AttributeEditor, EventEditor, PointEditor, ServiceEditor } from './ElementEditors.js';

type Kind = 'measurePoints' | 'attributes' | 'events' | 'services';
const kinds: { kind: Kind; title: string; add: string }[] = [
  { kind: 'measurePoints', title: 'Measure points', add: '+ measure point' },
  { kind: 'attributes', title: 'Attributes', add: '+ attribute' },
  { kind: 'events', title: 'Events', add: '+ event' },
  { kind: 'services', title: 'Services', add: '+ service' },
];

/** How many errors are under a path prefix (for the tab badges). */
function countUnder(errors: FieldErrors, prefix: string): number {
  return Object.keys(errors).filter((k) => k === prefix || k.startsWith(`${prefix}.`)).length;
}

/**
 * The form of one thing model: its header and one tab per element kind. Validated with the
 * contract's schema before it is sent, and the server's field errors are shown the same way.
 */
export function ModelForm({
  initial,
  isNew,
  onSaved,
  onDeleted,
}: {
  initial: ModelDraft;
  isNew: boolean;
  onSaved: (m: StoredThingModel) => void;
  onDeleted: () => void;
}) {
  const [draft, setDraft] = useState<ModelDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [tab, setTab] = useState<Kind>('measurePoints');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');

  const set = (patch: Partial<ModelDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved('');
  };

  const save = async (): Promise<void> => {
    const checked = validate(thingModelSchema, draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      const firstKind = kinds.find((k) => countUnder(checked.errors, k.kind) > 0);
      if (firstKind && countUnder(checked.errors, tab) === 0) setTab(firstKind.kind);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const stored = isNew
        ? await request('create the thing model', deviceEndpoints.createThingModel, { body: checked.data })
        : await request(`save thing model ${draft.id}`, deviceEndpoints.updateThingModel, { params: { modelId: draft.id }, body: checked.data });
      setSaved(`Saved ${stored.model.id}.`);
      onSaved(stored);
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (!window.confirm(`Delete thing model ${draft.id}?`)) return;
    setBusy(true);
    try {
      await request(`delete thing model ${draft.id}`, deviceEndpoints.deleteThingModel, { params: { modelId: draft.id } });
      onDeleted();
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const problems = Object.keys(errors).filter((k) => k !== '').length;
  return (
    <form
      className="gf-card"
      data-testid="model-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{isNew ? 'New thing model' : `Thing model ${initial.id}`}</h2>
      <div className="gf-fields">
        <Field label="Identifier" name="model-id" error={errors['id']}>
          <input value={draft.id} disabled={!isNew} onChange={(e) => set({ id: e.target.value })} placeholder="inverter" />
        </Field>
        <Field label="Name" name="model-name" error={errors['name']}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="Solar inverter" />
        </Field>
        <Field label="Description" name="model-description" error={errors['description']} wide>
          <input value={draft.description ?? ''} onChange={(e) => set({ description: e.target.value || undefined })} />
        </Field>
      </div>
      <div className="gf-tabs" style={{ marginTop: 14 }}>
        {kinds.map((k) => {
          const n = countUnder(errors, k.kind);
          return (
            <button key={k.kind} type="button" className={tab === k.kind ? 'active' : undefined} onClick={() => setTab(k.kind)} data-testid={`model-tab-${k.kind}`}>
              {k.title} ({(draft[k.kind] ?? []).length}){n > 0 && <span className="gf-badge" style={{ background: 'var(--gf-error)', color: '#fff' }}>{n}</span>}
            </button>
          );
        })}
      </div>
      <ElementList draft={draft} kind={tab} set={set} errors={errors} />
      <FormErrors messages={[...(errors[''] ? [errors['']] : []), ...(problems > 0 ? [`${problems} field(s) need attention: see the marked fields.`] : [])]} />
      {saved && <div className="gf-form-ok" data-testid="form-ok">{saved}</div>}
      <div className="gf-actions">
        {!isNew && (
          <button type="button" className="danger" onClick={() => void remove()} disabled={busy} data-testid="model-delete">
            Delete
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="model-save">
          {isNew ? 'Create model' : 'Save model'}
        </button>
      </div>
    </form>
  );
}

function ElementList({ draft, kind, set, errors }: { draft: ModelDraft; kind: Kind; set: (p: Partial<ModelDraft>) => void; errors: FieldErrors }) {
  const add = kinds.find((k) => k.kind === kind)?.add ?? '+';
  const name = (i: number): string => `${kind}-${i}`;
  const err = (i: number): FieldErrors => within(errors, `${kind}.${i}`);
  let items: ReactNode[] = [];
  if (kind === 'measurePoints') {
    const list = draft.measurePoints ?? [];
    items = list.map((v, i) => (
      <PointEditor key={i} value={v} name={name(i)} errors={err(i)} onChange={(x) => set({ measurePoints: replaceAt(list, i, x) })} onRemove={() => set({ measurePoints: removeAt(list, i) })} />
    ));
  } else if (kind === 'attributes') {
    const list = draft.attributes ?? [];
    items = list.map((v, i) => (
      <AttributeEditor key={i} value={v} name={name(i)} errors={err(i)} onChange={(x) => set({ attributes: replaceAt(list, i, x) })} onRemove={() => set({ attributes: removeAt(list, i) })} />
    ));
  } else if (kind === 'events') {
    const list = draft.events ?? [];
    items = list.map((v, i) => (
      <EventEditor key={i} value={v} name={name(i)} errors={err(i)} onChange={(x) => set({ events: replaceAt(list, i, x) })} onRemove={() => set({ events: removeAt(list, i) })} />
    ));
  } else {
    const list = draft.services ?? [];
    items = list.map((v, i) => (
      <ServiceEditor key={i} value={v} name={name(i)} errors={err(i)} onChange={(x) => set({ services: replaceAt(list, i, x) })} onRemove={() => set({ services: removeAt(list, i) })} />
    ));
  }
  const addOne = (): void => {
    if (kind === 'measurePoints') set({ measurePoints: [...(draft.measurePoints ?? []), newPoint(draft)] });
    else if (kind === 'attributes') set({ attributes: [...(draft.attributes ?? []), newAttribute(draft)] });
    else if (kind === 'events') set({ events: [...(draft.events ?? []), newEvent(draft)] });
    else set({ services: [...(draft.services ?? []), newService(draft)] });
  };
  return (
    <div>
      {items.length === 0 && <div className="gf-empty">None yet.</div>}
      {items}
      <button type="button" onClick={addOne} data-testid={`add-${kind}`}>
        {add}
      </button>
    </div>
  );
}
