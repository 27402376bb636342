import { useState } from 'react';
import { addConfigNode, configNodesOf, deleteNodes, nodeLabel, usersOf, type FlowNode } from '../model/index.js';
import { edit, setSelection } from '../state/editor-state.js';
import { useDoc } from '../state/hooks.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { ui } from '../state/ui-state.js';

/** Config nodes by type, each with the nodes that use it. */
export function ConfigSidebar() {
  const doc = useDoc();
  const catalog = useStore(session, (s) => s.catalog);
  const [open, setOpen] = useState<string | null>(null);
  const configs = configNodesOf(doc, catalog);
  const types = [...catalog.values()].filter((i) => i.isConfig);
  const byType = new Map<string, FlowNode[]>();
  for (const c of configs) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
  const editNode = (id: string): void => {
    setSelection([id]);
    ui.set({ sidebar: 'node' });
  };
  return (
    <div className="gf-config" data-testid="config-sidebar">
      <div className="gf-config-add">
        <select
          data-testid="config-add"
          value=""
          onChange={(e) => {
            const info = catalog.get(e.target.value);
            if (!info) return;
            let id = '';
            edit((d) => {
              const r = addConfigNode(d, info);
              id = r.id;
              return r.doc;
            });
            editNode(id);
          }}
        >
          <option value="">add a config node…</option>
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.paletteLabel ?? t.type}
            </option>
          ))}
        </select>
      </div>
      {[...byType.entries()].map(([type, nodes]) => (
        <section key={type}>
          <h4>{type}</h4>
          {nodes.map((c) => {
            const users = usersOf(doc, c.id);
            return (
              <div key={c.id} className={`gf-config-node${users.length === 0 ? ' unused' : ''}`} data-testid={`config-node-${c.id}`}>
                <div className="gf-config-line">
                  <button type="button" className="gf-link" onClick={() => setOpen(open === c.id ? null : c.id)}>
                    {nodeLabel(c, catalog.get(c.type), doc)}
                  </button>
                  <span className="gf-badge" title="nodes using it" data-testid={`config-users-${c.id}`}>
                    {users.length}
                  </span>
                  <button type="button" onClick={() => editNode(c.id)} title="edit">
                    ✎
                  </button>
                  <button
                    type="button"
                    title="delete"
                    onClick={() => {
                      if (users.length === 0 || window.confirm(`${users.length} nodes use it. Delete anyway?`)) {
                        edit((d) => deleteNodes(d, [c.id]));
                      }
                    }}
                  >
                    ✕
                  </button>
                </div>
                {open === c.id && (
                  <ul className="gf-config-users">
                    {users.map((u) => (
                      <li key={u.id}>
                        <button type="button" className="gf-link" onClick={() => ui.set({ focusNode: u.id })}>
                          {nodeLabel(u, catalog.get(u.type), doc)} <small>({u.type})</small>
                        </button>
                      </li>
                    ))}
                    {users.length === 0 && <li className="gf-muted">unused</li>}
                  </ul>
                )}
              </div>
            );
          })}
        </section>
      ))}
      {configs.length === 0 && <div className="gf-muted">No config nodes.</div>}
    </div>
  );
}
