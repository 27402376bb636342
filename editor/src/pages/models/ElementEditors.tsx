import type { ReactNode } from 'react';
import { pointTypes, type PointType } from '@gridflow/runtime/contract';
import { within, type FieldErrors } from '../shared/form-errors.js';
import { Field } from '../shared/ui.js';
import {
  dataTypesByPointType,
  specOfType,
  type AttributeDraft,
  type EventDraft,
  type ParamDraft,
  type PointDraft,
  type ServiceDraft,
} from './draft.js';
import { ParamList } from './ParamList.js';
import { SpecEditor } from './SpecEditor.js';

type Element = { identifier: string; name: string; description?: string | undefined };

interface EditorProps<T> {
  value: T;
  onChange: (value: T) => void;
  onRemove: () => void;
  /** Errors relative to the element. */
  errors: FieldErrors;
  /** Test-id prefix, e.g. 'point-0'. */
  name: string;
}

/** The identifier, name and description every element has. */
function Common<T extends Element>({ value, onChange, errors, name }: Omit<EditorProps<T>, 'onRemove'>) {
  return (
    <>
      <Field label="Identifier" name={`${name}-identifier`} error={errors['identifier']}>
        <input
          value={value.identifier}
          onChange={(e) => {
            // A name still equal to the identifier follows it, so new elements need one edit, not two.
            const name = value.name === value.identifier ? e.target.value : value.name;
            onChange({ ...value, identifier: e.target.value, name });
          }}
        />
      </Field>
      <Field label="Name" name={`${name}-name`} error={errors['name']}>
        <input value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} />
      </Field>
      <Field label="Description" name={`${name}-description`} error={errors['description']}>
        <input
          value={value.description ?? ''}
          onChange={(e) => onChange({ ...value, description: e.target.value || undefined })}
        />
      </Field>
    </>
  );
}

/** The element's title and remove button, and an error about the element as a whole. */
function Head({
  title,
  onRemove,
  name,
  error,
}: {
  title: string;
  onRemove: () => void;
  name: string;
  error: string | undefined;
}) {
  return (
    <>
      <div className="gf-element-head">
        {title}
        <span className="spacer" />
        <button type="button" className="danger" onClick={onRemove} data-testid={`${name}-remove`}>
          Remove
        </button>
      </div>
      {error && <div className="gf-field-error">{error}</div>}
    </>
  );
}

/** One element's card: title and remove, the common fields, then the kind's own fields and lists. */
function ElementCard<T extends Element>({
  title,
  value,
  onChange,
  onRemove,
  errors,
  name,
  children,
  lists,
}: EditorProps<T> & { title: string; children: ReactNode; lists?: ReactNode }) {
  return (
    <div className="gf-element" data-testid={name}>
      <Head title={`${title} ${value.identifier}`} onRemove={onRemove} name={name} error={errors['']} />
      <div className="gf-fields">
        <Common value={value} onChange={onChange} errors={errors} name={name} />
        {children}
      </div>
      {lists}
    </div>
  );
}

export function AttributeEditor(props: EditorProps<AttributeDraft>) {
  const { value, onChange, errors, name } = props;
  return (
    <ElementCard title="Attribute" {...props}>
      <SpecEditor
        value={value.spec}
        onChange={(spec) => onChange({ ...value, spec })}
        errors={within(errors, 'spec')}
        name={`${name}-spec`}
      />
      <label className="gf-field check">
        <input
          type="checkbox"
          checked={value.required ?? false}
          onChange={(e) => onChange({ ...value, required: e.target.checked })}
        />{' '}
        required
      </label>
    </ElementCard>
  );
}

export function PointEditor(props: EditorProps<PointDraft>) {
  const { value, onChange, errors, name } = props;
  const pointType = value.pointType ?? 'Generic';
  const setPointType = (t: PointType): void => {
    // Keep the data type when the new point type allows it, else take its first allowed type.
    const allowed = dataTypesByPointType[t];
    const spec = allowed.includes(value.spec.type) ? value.spec : specOfType(allowed[0] ?? 'double', value.spec);
    onChange({ ...value, pointType: t, spec });
  };
  return (
    <ElementCard title="Measure point" {...props}>
      <Field label="Point type" name={`${name}-pointType`} error={errors['pointType']}>
        <select value={pointType} onChange={(e) => setPointType(e.target.value as PointType)}>
          {pointTypes.map((t) => (
            <option key={t} value={t}>
              {t === 'AI' ? 'AI (analog)' : t === 'DI' ? 'DI (digital)' : t === 'PI' ? 'PI (pulse)' : 'Generic'}
            </option>
          ))}
        </select>
      </Field>
      <SpecEditor
        value={value.spec}
        onChange={(spec) => onChange({ ...value, spec })}
        errors={within(errors, 'spec')}
        name={`${name}-spec`}
        types={dataTypesByPointType[pointType]}
      />
      <label className="gf-field check">
        <input
          type="checkbox"
          checked={value.hasQuality ?? false}
          onChange={(e) => onChange({ ...value, hasQuality: e.target.checked })}
        />{' '}
        with quality
      </label>
    </ElementCard>
  );
}

/** An element's input or output parameter list. */
function Params<T extends Element & { inputs?: ParamDraft[] | undefined; outputs?: ParamDraft[] | undefined }>({
  of,
  list,
  title,
}: {
  of: EditorProps<T>;
  list: 'inputs' | 'outputs';
  title: string;
}) {
  const { value, onChange, errors, name } = of;
  return (
    <ParamList
      title={title}
      value={value[list] ?? []}
      onChange={(params) => onChange({ ...value, [list]: params })}
      errors={within(errors, list)}
      name={`${name}-${list}`}
    />
  );
}

export function EventEditor(props: EditorProps<EventDraft>) {
  const { value, onChange, errors, name } = props;
  return (
    <ElementCard title="Event" {...props} lists={<Params of={props} list="outputs" title="Output parameters" />}>
      <Field label="Event type" name={`${name}-eventType`} error={errors['eventType']}>
        <select
          value={value.eventType ?? 'info'}
          onChange={(e) => onChange({ ...value, eventType: e.target.value as EventDraft['eventType'] })}
        >
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="error">error</option>
        </select>
      </Field>
    </ElementCard>
  );
}

export function ServiceEditor(props: EditorProps<ServiceDraft>) {
  const { value, onChange, errors, name } = props;
  return (
    <ElementCard
      title="Service"
      {...props}
      lists={
        <>
          <Params of={props} list="inputs" title="Input parameters" />
          <Params of={props} list="outputs" title="Output parameters" />
        </>
      }
    >
      <Field label="Call type" name={`${name}-callType`} error={errors['callType']}>
        <select
          value={value.callType ?? 'sync'}
          onChange={(e) => onChange({ ...value, callType: e.target.value as ServiceDraft['callType'] })}
        >
          <option value="sync">sync (waits for the reply)</option>
          <option value="async">async</option>
        </select>
      </Field>
    </ElementCard>
  );
}
