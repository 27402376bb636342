import { addConfigNode, nodeLabel } from '../../model/index.js';
import { typeInfoFor } from '../../state/actions.js';
import { edit, setSelection } from '../../state/editor-state.js';
import { useDoc } from '../../state/hooks.js';
import { session } from '../../state/session.js';
import { useStore } from '../../state/store.js';
import { notify } from '../../state/ui-state.js';
import { asText, type FieldProps } from './types.js';

const ADD_NEW = '__add_new__';

/** A reference to a config node: the config nodes of the right type, and "add new". */
export function ConfigRefField({ plan, obj, onPatch, testId }: FieldProps) {
  const doc = useDoc();
  const catalog = useStore(session, (s) => s.catalog);
  if (plan.field.kind !== 'config') return null;
  const configType = plan.field.configType;
  const candidates = doc.filter((n) => n.type === configType);
  const value = asText(obj[plan.key]);
  const missing = value !== '' && !candidates.some((c) => c.id === value);

  const onChange = (v: string): void => {
    if (v !== ADD_NEW) {
      onPatch({ [plan.key]: v === '' ? '' : v });
      return;
    }
    const info = typeInfoFor(configType);
    if (!info) {
      notify('error', `The server does not know the config node type "${configType}"`);
      return;
    }
    let created = '';
    edit((d) => {
      const result = addConfigNode(d, info);
      created = result.id;
      return result.doc;
    });
    onPatch({ [plan.key]: created });
    notify('info', `Added a ${configType} config node: edit it in the Config tab`);
  };

  return (
    <div className="gf-config-ref">
      <select data-testid={testId} value={missing ? `missing:${value}` : value} onChange={(e) => onChange(e.target.value)}>
        <option value="">none</option>
        {missing && <option value={`missing:${value}`}>{value} (missing)</option>}
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {nodeLabel(c, catalog.get(c.type), doc)} ({c.id.slice(0, 6)})
          </option>
        ))}
        <option value={ADD_NEW}>add new {configType}…</option>
      </select>
      {value !== '' && !missing && (
        <button type="button" title="edit this config node" data-testid={`${testId}-edit`} onClick={() => setSelection([value])}>
          ✎
        </button>
      )}
    </div>
  );
}
