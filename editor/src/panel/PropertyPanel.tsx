import { configRefType, nodeLabel, setDisabled, updateNode, type FlowNode, type NodeProblem } from '../model/index.js';
import { deleteSelection, editSubflowOf, typeInfoFor } from '../state/actions.js';
import { edit, editor } from '../state/editor-state.js';
import { useDoc, useProblems } from '../state/hooks.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { ObjectEditor } from './ObjectEditor.js';
import { SubflowForm, TabForm } from './ContainerForms.js';

function ProblemList({ problems }: { problems: NodeProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="gf-problems" data-testid="panel-problems">
      {problems.map((p, i) => (
        <li key={i} className={p.source}>
          <strong>{p.property ?? 'node'}</strong>: {p.message}
          {p.source === 'server' && <em> (server)</em>}
        </li>
      ))}
    </ul>
  );
}

function NodeForm({ node }: { node: FlowNode }) {
  const doc = useDoc();
  const problems = useProblems().get(node.id) ?? [];
  const info = typeInfoFor(node.type, doc);
  const catalog = useStore(session, (s) => s.catalog);
  const configRef = (key: string): string | undefined => configRefType(info, key, catalog);
  const onPatch = (patch: Record<string, unknown>): void => {
    const key = Object.keys(patch).sort().join(',');
    edit((d) => updateNode(d, node.id, patch, info), { coalesceKey: `${node.id}:${key}` });
  };
  const isConfig = info?.isConfig === true;
  return (
    <div className="gf-panel-node" data-testid="property-panel" data-node-id={node.id}>
      <div className="gf-panel-title">
        <span className="gf-panel-type" style={{ background: info?.color ?? '#ddd' }}>
          {node.type}
        </span>
        <span className="gf-panel-label">{nodeLabel(node, info, doc)}</span>
      </div>
      <div className="gf-panel-id">
        id <code data-testid="panel-node-id">{node.id}</code>
        {isConfig && <span className="gf-muted"> · config node</span>}
      </div>
      <ProblemList problems={problems} />
      <ObjectEditor schema={info?.schema} obj={node} onPatch={onPatch} testIdPrefix="prop" problems={problems} configRef={configRef} />
      <div className="gf-panel-actions">
        {node.type.startsWith('subflow:') && (
          <button type="button" data-testid="edit-subflow" onClick={() => editSubflowOf(node.type)}>
            Edit subflow
          </button>
        )}
        {!isConfig && (
          <button
            type="button"
            data-testid="toggle-node-disabled"
            onClick={() => edit((d) => setDisabled(d, new Set([node.id]), node.d !== true))}
          >
            {node.d === true ? 'Enable' : 'Disable'}
          </button>
        )}
        <button type="button" className="danger" data-testid="delete-node" onClick={deleteSelection}>
          Delete
        </button>
      </div>
    </div>
  );
}

/**
 * The property panel: the selected node's form (generated from its type's JSON Schema), or the
 * active tab's or subflow's properties when nothing is selected.
 */
export function PropertyPanel() {
  const doc = useDoc();
  const selection = useStore(editor, (s) => s.selection);
  const activeZ = useStore(editor, (s) => s.activeZ);
  const ids = [...selection].filter((id) => !id.includes('|'));
  if (ids.length > 1) {
    return (
      <div className="gf-panel-empty" data-testid="property-panel-multi">
        {ids.length} nodes selected.
      </div>
    );
  }
  const node = ids.length === 1 ? doc.find((n) => n.id === ids[0]) : undefined;
  if (node && node.type !== 'group') return <NodeForm node={node} />;
  if (node && node.type === 'group') return <GroupForm node={node} />;
  const container = doc.find((n) => n.id === activeZ);
  if (container?.type === 'tab') return <TabForm tab={container} />;
  if (container?.type === 'subflow') return <SubflowForm def={container} />;
  return <div className="gf-panel-empty">Select a node to edit its properties.</div>;
}

function GroupForm({ node }: { node: FlowNode }) {
  const style = (node['style'] ?? {}) as Record<string, unknown>;
  return (
    <div className="gf-panel-node" data-testid="property-panel" data-node-id={node.id}>
      <div className="gf-panel-title">
        <span className="gf-panel-type">group</span>
      </div>
      <div className="gf-form">
        <div className="gf-row">
          <label>Name</label>
          <input
            data-testid="prop-name"
            value={typeof node.name === 'string' ? node.name : ''}
            onChange={(e) => edit((d) => updateNode(d, node.id, { name: e.target.value }), { coalesceKey: `${node.id}:name` })}
          />
        </div>
        <div className="gf-row">
          <label>Fill</label>
          <input
            type="color"
            value={typeof style['fill'] === 'string' ? style['fill'] : '#e8e8f0'}
            onChange={(e) => edit((d) => updateNode(d, node.id, { style: { ...style, fill: e.target.value } }), { coalesceKey: `${node.id}:fill` })}
          />
        </div>
      </div>
    </div>
  );
}
