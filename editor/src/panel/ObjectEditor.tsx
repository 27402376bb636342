import { lazy, Suspense, type ReactNode } from 'react';
import type { JsonSchema, NodeProblem } from '../model/index.js';
import { planFields, type FieldPlan } from './field-plan.js';
import { ConfigRefField } from './fields/ConfigRefField.js';
import { ListField } from './fields/ListField.js';
import { BooleanField, JsonField, NumberField, SelectField, TextField } from './fields/SimpleFields.js';
import { TypedInputField } from './fields/TypedInputField.js';
import type { FieldProps } from './fields/types.js';

// CodeMirror is loaded when the first code field opens, not with the editor.
const LazyCodeField = lazy(() => import('./fields/CodeField.js').then((m) => ({ default: m.CodeField })));

function CodeField(props: FieldProps) {
  return (
    <Suspense fallback={<div className="gf-code gf-muted">loading the code editor…</div>}>
      <LazyCodeField {...props} />
    </Suspense>
  );
}

const WIDGETS: Record<FieldPlan['field']['kind'], (p: FieldProps) => ReactNode> = {
  text: TextField,
  number: NumberField,
  boolean: BooleanField,
  select: SelectField,
  json: JsonField,
  code: CodeField,
  typed: TypedInputField,
  config: ConfigRefField,
  list: ListField,
};

export interface ObjectEditorProps {
  schema: JsonSchema | undefined;
  obj: Record<string, unknown>;
  onPatch(patch: Record<string, unknown>): void;
  testIdPrefix: string;
  problems: NodeProblem[];
  compact?: boolean;
  configRef?: (key: string) => string | undefined;
}

/** A form generated from a JSON Schema: one row per property, its problems under it. */
export function ObjectEditor({ schema, obj, onPatch, testIdPrefix, problems, compact, configRef }: ObjectEditorProps) {
  const plans = planFields(schema, obj, configRef);
  return (
    <div className={`gf-form${compact ? ' compact' : ''}`}>
      {plans.map((plan) => {
        const Widget = WIDGETS[plan.field.kind];
        const mine = problems.filter((p) => p.property === plan.key);
        const testId = `${testIdPrefix}-${plan.key}`;
        return (
          <div key={plan.key} className={`gf-row${mine.length > 0 ? ' invalid' : ''} kind-${plan.field.kind}`} data-testid={`row-${testId}`}>
            <label title={plan.schema.description}>
              {plan.label}
              {plan.required && <span className="gf-required">*</span>}
            </label>
            <div className="gf-row-control">
              <Widget plan={plan} obj={obj} onPatch={onPatch} testId={testId} />
              {mine.map((p, i) => (
                <div key={i} className="gf-field-error" data-testid={`problem-${testId}`}>
                  {p.source === 'server' ? 'server: ' : ''}
                  {p.message}
                </div>
              ))}
            </div>
          </div>
        );
      })}
      {plans.length === 0 && <div className="gf-muted">This node has no properties.</div>}
    </div>
  );
}
