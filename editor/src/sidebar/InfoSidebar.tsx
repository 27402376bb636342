import { nodeLabel } from '../model/index.js';
import { typeInfoFor } from '../state/actions.js';
import { editor } from '../state/editor-state.js';
import { useDoc } from '../state/hooks.js';
import { useStore } from '../state/store.js';
import { Markdown } from './markdown.js';

/** Help for the selected node's type, and what the node is. */
export function InfoSidebar() {
  const doc = useDoc();
  const selection = useStore(editor, (s) => s.selection);
  const activeZ = useStore(editor, (s) => s.activeZ);
  const ids = [...selection].filter((id) => !id.includes('|'));
  const node = ids.length === 1 ? doc.find((n) => n.id === ids[0]) : undefined;
  if (!node) {
    const tab = doc.find((n) => n.id === activeZ);
    return (
      <div className="gf-info" data-testid="info-sidebar">
        <h3>{tab ? String(tab['label'] ?? tab.name ?? tab.id) : 'Flows'}</h3>
        <p className="gf-muted">
          {doc.filter((n) => n.z === activeZ).length} nodes on this flow, {doc.filter((n) => n.type === 'tab').length} flows in all.
        </p>
        {typeof tab?.['info'] === 'string' && tab['info'] !== '' && <Markdown text={tab['info']} />}
        <p className="gf-muted">Select a node to see its help.</p>
      </div>
    );
  }
  const info = typeInfoFor(node.type, doc);
  return (
    <div className="gf-info" data-testid="info-sidebar">
      <table className="gf-info-table">
        <tbody>
          <tr>
            <th>Node</th>
            <td>{nodeLabel(node, info, doc)}</td>
          </tr>
          <tr>
            <th>Type</th>
            <td data-testid="info-type">{node.type}</td>
          </tr>
          <tr>
            <th>Id</th>
            <td>
              <code>{node.id}</code>
            </td>
          </tr>
          {info && (
            <tr>
              <th>Category</th>
              <td>{info.category}</td>
            </tr>
          )}
        </tbody>
      </table>
      <div data-testid="info-help">{info?.help ? <Markdown text={info.help} /> : <p className="gf-muted">No help for this node type.</p>}</div>
    </div>
  );
}
