import { memo, useMemo, useState, type DragEvent } from 'react';
import { PALETTE_MIME } from '../canvas/FlowCanvas.js';
import { DEFAULT_COLOR, iconGlyph } from '../canvas/icons.js';
import { paletteLabel, type NodeTypeInfo } from '../model/index.js';
import { currentDoc, editor } from '../state/editor-state.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { ui } from '../state/ui-state.js';
import { paletteGroups, subflowSignature } from './palette-groups.js';

const PaletteEntry = memo(function PaletteEntry({ info }: { info: NodeTypeInfo }) {
  const onDragStart = (e: DragEvent): void => {
    e.dataTransfer.setData(PALETTE_MIME, info.type);
    e.dataTransfer.setData('text/plain', info.type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  const label = paletteLabel(info);
  return (
    <div
      className="gf-palette-node"
      draggable
      onDragStart={onDragStart}
      onClick={() => ui.set({ sidebar: 'info' })}
      data-testid={`palette-node-${info.type}`}
      title={`${info.type}${info.help ? `\n\n${info.help.split('\n')[0]}` : ''}`}
      style={{ background: info.color ?? DEFAULT_COLOR }}
    >
      {info.inputs > 0 && <span className="gf-palette-port in" />}
      <span className="gf-palette-icon">{iconGlyph(info.icon, info.type)}</span>
      <span className="gf-palette-label">{label}</span>
      {info.outputs !== 0 && <span className="gf-palette-port out" />}
    </div>
  );
});

/** Node types by category, with a search box; entries are dragged onto the canvas. */
export function Palette() {
  const catalog = useStore(session, (s) => s.catalog);
  // Subflows are palette entries too: the palette redraws when one is added, removed or renamed,
  // not on every edit.
  const subflowKey = useStore(editor, (s) => subflowSignature(s.history.present));
  const [filter, setFilter] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const groups = useMemo(() => paletteGroups(catalog, subflowKey ? currentDoc() : [], filter), [catalog, filter, subflowKey]);
  const toggle = (c: string): void => {
    const next = new Set(collapsed);
    if (next.has(c)) next.delete(c);
    else next.add(c);
    setCollapsed(next);
  };
  return (
    <aside className="gf-palette" data-testid="palette">
      <input
        className="gf-palette-search"
        type="search"
        placeholder="filter nodes"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="palette-search"
      />
      <div className="gf-palette-list">
        {groups.map((g) => (
          <section key={g.category} data-testid={`palette-category-${g.category}`}>
            <button type="button" className="gf-palette-category" onClick={() => toggle(g.category)}>
              {collapsed.has(g.category) && filter === '' ? '▸' : '▾'} {g.label}
            </button>
            {(!collapsed.has(g.category) || filter !== '') &&
              g.entries.map((info) => <PaletteEntry key={info.type} info={info} />)}
          </section>
        ))}
        {groups.length === 0 && <div className="gf-muted">No node matches “{filter}”.</div>}
      </div>
    </aside>
  );
}
