import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { addTab, deleteTab, moveTab, renameTab, setTabDisabled, type FlowNode } from '../model/index.js';
import { closeSubflow, edit, editor, setActive } from '../state/editor-state.js';
import { useDoc } from '../state/hooks.js';
import { useStore } from '../state/store.js';
import { notify } from '../state/ui-state.js';

const TAB_MIME = 'application/x-gridflow-tab';

function TabLabel({ tab, editing, onDone }: { tab: FlowNode; editing: boolean; onDone: () => void }) {
  const label = String(tab['label'] ?? tab.id);
  const [value, setValue] = useState(label);
  if (!editing) return <span className="gf-tab-label">{label}</span>;
  const finish = (save: boolean): void => {
    if (save && value.trim() !== '' && value !== label) edit((d) => renameTab(d, tab.id, value.trim()));
    onDone();
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') finish(true);
    if (e.key === 'Escape') finish(false);
  };
  return (
    <input
      className="gf-tab-rename"
      data-testid="tab-rename-input"
      autoFocus
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={onKey}
    />
  );
}

/** Flow tabs (add, rename, reorder, disable, delete) and the open subflows. */
export function TabBar() {
  const doc = useDoc();
  const activeZ = useStore(editor, (s) => s.activeZ);
  const openSubflows = useStore(editor, (s) => s.openSubflows);
  const [renaming, setRenaming] = useState<string | null>(null);
  // The menu is placed by the viewport (position: fixed) so the scrolling tab strip does not clip it.
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);
  const menuFor = menu?.id ?? null;
  const setMenuFor = (id: string | null): void => setMenu(id === null ? null : { id, x: 0, y: 0 });
  const tabs = doc.filter((n) => n.type === 'tab');
  const subflows = openSubflows.map((id) => doc.find((n) => n.id === id)).filter((n): n is FlowNode => n !== undefined);

  const onAdd = (): void => {
    const { doc: next, id } = addTab(doc);
    edit(() => next);
    setActive(id);
  };
  const onDrop = (e: DragEvent, index: number): void => {
    const id = e.dataTransfer.getData(TAB_MIME);
    if (id) edit((d) => moveTab(d, id, index));
  };
  const onDelete = (tab: FlowNode): void => {
    const count = doc.filter((n) => n.z === tab.id).length;
    if (count > 0 && !window.confirm(`Delete "${String(tab['label'])}" and its ${count} nodes?`)) return;
    const next = deleteTab(doc, tab.id);
    edit(() => next);
    if (activeZ === tab.id) setActive(next.find((n) => n.type === 'tab')?.id ?? '');
    notify('info', `Deleted flow "${String(tab['label'])}"`);
  };

  return (
    <nav className="gf-tabs" data-testid="tab-bar">
      {tabs.map((tab, i) => (
        <div
          key={tab.id}
          className={`gf-tab${tab.id === activeZ ? ' active' : ''}${tab['disabled'] === true ? ' disabled' : ''}`}
          data-testid={`tab-${tab.id}`}
          data-label={String(tab['label'] ?? '')}
          draggable={renaming !== tab.id}
          onDragStart={(e) => e.dataTransfer.setData(TAB_MIME, tab.id)}
          onDragOver={(e) => e.dataTransfer.types.includes(TAB_MIME) && e.preventDefault()}
          onDrop={(e) => onDrop(e, i)}
          onClick={() => setActive(tab.id)}
          onDoubleClick={() => setRenaming(tab.id)}
        >
          <TabLabel tab={tab} editing={renaming === tab.id} onDone={() => setRenaming(null)} />
          {tab.id === activeZ && (
            <button
              type="button"
              className="gf-tab-menu-button"
              data-testid="tab-menu"
              onClick={(e) => {
                e.stopPropagation();
                const r = e.currentTarget.getBoundingClientRect();
                setMenu(menuFor === tab.id ? null : { id: tab.id, x: r.left, y: r.bottom + 2 });
              }}
            >
              ⋯
            </button>
          )}
          {menuFor === tab.id && (
            <ul className="gf-tab-menu" role="menu" style={{ left: menu?.x, top: menu?.y }} onMouseLeave={() => setMenuFor(null)}>
              <li>
                <button type="button" data-testid="tab-rename" onClick={() => (setRenaming(tab.id), setMenuFor(null))}>
                  Rename
                </button>
              </li>
              <li>
                <button
                  type="button"
                  data-testid="tab-toggle-disabled"
                  onClick={() => (edit((d) => setTabDisabled(d, tab.id, tab['disabled'] !== true)), setMenuFor(null))}
                >
                  {tab['disabled'] === true ? 'Enable flow' : 'Disable flow'}
                </button>
              </li>
              <li>
                <button type="button" data-testid="tab-delete" onClick={() => (onDelete(tab), setMenuFor(null))}>
                  Delete
                </button>
              </li>
            </ul>
          )}
        </div>
      ))}
      {subflows.map((sf) => (
        <div
          key={sf.id}
          className={`gf-tab subflow${sf.id === activeZ ? ' active' : ''}`}
          data-testid={`subflow-tab-${sf.id}`}
          onClick={() => setActive(sf.id)}
        >
          <span className="gf-tab-label">❐ {String(sf.name ?? sf.id)}</span>
          <button
            type="button"
            className="gf-tab-close"
            title="close"
            onClick={(e) => {
              e.stopPropagation();
              closeSubflow(sf.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="gf-tab-add" onClick={onAdd} data-testid="tab-add" title="add a flow">
        +
      </button>
    </nav>
  );
}
