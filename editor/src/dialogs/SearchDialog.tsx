import { useMemo, useState } from 'react';
import { searchNodes } from '../model/index.js';
import { editor, openSubflow, setActive } from '../state/editor-state.js';
import { useDoc } from '../state/hooks.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { ui } from '../state/ui-state.js';
import { Modal } from './Modal.js';

/** Ctrl+F: find nodes by name, type, id or any property value, and jump to one. */
export function SearchDialog() {
  const doc = useDoc();
  const catalog = useStore(session, (s) => s.catalog);
  const [query, setQuery] = useState('');
  const hits = useMemo(() => searchNodes(doc, query, catalog, 100), [doc, query, catalog]);
  const tabName = (z: string | undefined): string => {
    const t = doc.find((n) => n.id === z);
    return t ? String(t['label'] ?? t.name ?? t.id) : 'config';
  };
  const go = (id: string, z: string | undefined): void => {
    ui.set({ dialog: null });
    if (z) {
      const container = doc.find((n) => n.id === z);
      if (container?.type === 'subflow') openSubflow(z);
      else if (editor.get().activeZ !== z) setActive(z);
      setTimeout(() => ui.set({ focusNode: id }), 50);
    } else {
      editor.set({ selection: new Set([id]) });
      ui.set({ sidebar: 'node' });
    }
  };
  return (
    <Modal title="Search flows" onClose={() => ui.set({ dialog: null })} testId="search-dialog">
      <input
        autoFocus
        type="search"
        className="gf-search-input"
        data-testid="search-input"
        placeholder="name, type or property value"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const first = hits[0];
          if (e.key === 'Enter' && first) go(first.node.id, first.node.z);
        }}
      />
      <ul className="gf-search-results" data-testid="search-results">
        {hits.map((h) => (
          <li key={h.node.id}>
            <button type="button" data-testid={`search-hit-${h.node.id}`} onClick={() => go(h.node.id, h.node.z)}>
              <strong>{h.label}</strong> <small>{h.node.type}</small>
              <span className="gf-muted">
                {' '}
                · {tabName(h.node.z)} · {h.field}: {h.snippet}
              </span>
            </button>
          </li>
        ))}
        {query !== '' && hits.length === 0 && <li className="gf-muted">No match.</li>}
      </ul>
    </Modal>
  );
}
