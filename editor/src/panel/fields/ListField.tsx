import type { JsonSchema } from '../../model/index.js';
import { ObjectEditor } from '../ObjectEditor.js';
import type { FieldProps } from './types.js';

function newItem(schema: JsonSchema): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    if (s.default !== undefined) item[k] = structuredClone(s.default);
    else if (s.enum && s.enum.length > 0) item[k] = s.enum[0];
    else if (s.type === 'string') item[k] = '';
  }
  return item;
}

/** A list of objects (switch rules, change rules, inject properties), each edited with its own fields. */
export function ListField({ plan, obj, onPatch, testId }: FieldProps) {
  if (plan.field.kind !== 'list') return null;
  const itemSchema = plan.field.item;
  const items = Array.isArray(obj[plan.key]) ? (obj[plan.key] as unknown[]) : [];
  const set = (next: unknown[]): void => onPatch({ [plan.key]: next });
  const move = (i: number, d: number): void => {
    const next = [...items];
    const [it] = next.splice(i, 1);
    next.splice(i + d, 0, it);
    set(next);
  };
  return (
    <div className="gf-list" data-testid={testId}>
      {items.map((item, i) => (
        <div className="gf-list-item" key={i} data-testid={`${testId}-${i}`}>
          <ObjectEditor
            schema={itemSchema}
            obj={item && typeof item === 'object' ? (item as Record<string, unknown>) : {}}
            onPatch={(patch) => {
              const current = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
              const updated: Record<string, unknown> = { ...current };
              for (const [k, v] of Object.entries(patch)) {
                if (v === undefined) delete updated[k];
                else updated[k] = v;
              }
              set(items.map((x, j) => (j === i ? updated : x)));
            }}
            testIdPrefix={`${testId}-${i}`}
            problems={[]}
            compact
          />
          <div className="gf-list-buttons">
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)} title="move up">
              ↑
            </button>
            <button type="button" disabled={i === items.length - 1} onClick={() => move(i, 1)} title="move down">
              ↓
            </button>
            <button type="button" onClick={() => set(items.filter((_, j) => j !== i))} title="remove" data-testid={`${testId}-${i}-remove`}>
              ✕
            </button>
          </div>
        </div>
      ))}
      <button type="button" className="gf-list-add" data-testid={`${testId}-add`} onClick={() => set([...items, newItem(itemSchema)])}>
        + add
      </button>
    </div>
  );
}
