import { memo, useEffect, useRef, useState } from 'react';
import { editor } from '../state/editor-state.js';
import { useDoc } from '../state/hooks.js';
import { clearDebug, runtimeState, setPaused, type DebugItem } from '../state/runtime-state.js';
import { useStore } from '../state/store.js';
import { ui } from '../state/ui-state.js';
import { JsonTree } from './JsonTree.js';
import { decodeDebugValue } from './json-path.js';

type Filter = 'all' | 'tab' | 'selected';

const time = (ms: number): string => new Date(ms).toLocaleTimeString(undefined, { hour12: false });

const DebugEntry = memo(function DebugEntry({ item, nodeName }: { item: DebugItem; nodeName: string }) {
  const focus = (): void => {
    if (item.id) ui.set({ focusNode: item.id });
  };
  if (item.kind === 'log') {
    return (
      <div className={`gf-debug-msg log ${item.level}`} data-testid="debug-message" data-node-id={item.id ?? ''}>
        <div className="gf-debug-meta">
          <span>{time(item.time)}</span>
          {item.id && (
            <button type="button" className="gf-link" onClick={focus}>
              {nodeName || item.type || item.id}
            </button>
          )}
          <span className="gf-debug-level">{item.level}</span>
        </div>
        <div className="gf-debug-text">{item.message}</div>
      </div>
    );
  }
  const value = decodeDebugValue(item.msg, item.format);
  const root = item.property === 'msg' ? '' : item.property;
  return (
    <div className="gf-debug-msg" data-testid="debug-message" data-node-id={item.id}>
      <div className="gf-debug-meta">
        <span>{time(item.time)}</span>
        <button type="button" className="gf-link" onClick={focus} data-testid="debug-node-link">
          {item.name || nodeName || item.id}
        </button>
        {item.topic !== undefined && item.topic !== '' && <span className="gf-debug-topic">topic: {item.topic}</span>}
      </div>
      <div className="gf-debug-prop">
        {item.property === 'msg' ? 'msg' : `msg.${item.property}`} : {item.format}
        {item.truncated && <em> (truncated)</em>}
      </div>
      <JsonTree value={value} rootPath={root} />
    </div>
  );
});

/** Live debug messages and node errors: filter by node or tab, clear, pause. */
export function DebugSidebar() {
  const items = useStore(runtimeState, (s) => s.debug);
  const paused = useStore(runtimeState, (s) => s.paused);
  const held = useStore(runtimeState, (s) => s.held);
  const dropped = useStore(runtimeState, (s) => s.dropped);
  const activeZ = useStore(editor, (s) => s.activeZ);
  const selection = useStore(editor, (s) => s.selection);
  const doc = useDoc();
  const [filter, setFilter] = useState<Filter>('all');
  const listRef = useRef<HTMLDivElement>(null);
  const names = new Map(doc.map((n) => [n.id, typeof n.name === 'string' && n.name !== '' ? n.name : n.type]));
  const shown = items.filter((m) => {
    if (filter === 'tab') return m.z === activeZ;
    if (filter === 'selected') return m.id !== undefined && selection.has(m.id);
    return true;
  });
  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);
  return (
    <div className="gf-debug" data-testid="debug-sidebar">
      <div className="gf-debug-toolbar">
        <select data-testid="debug-filter" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          <option value="all">all nodes</option>
          <option value="tab">current flow</option>
          <option value="selected">selected nodes</option>
        </select>
        <button type="button" data-testid="debug-pause" onClick={() => setPaused(!paused)} className={paused ? 'active' : ''}>
          {paused ? `Resume${held > 0 ? ` (${held} skipped)` : ''}` : 'Pause'}
        </button>
        <button type="button" data-testid="debug-clear" onClick={clearDebug}>
          Clear
        </button>
      </div>
      {dropped > 0 && <div className="gf-muted gf-debug-dropped">{dropped} messages were dropped by the server's rate limit</div>}
      <div className="gf-debug-list" ref={listRef} data-testid="debug-list">
        {shown.map((m, i) => (
          <DebugEntry key={`${m.time}-${i}-${m.id ?? ''}`} item={m} nodeName={(m.id && names.get(m.id)) || ''} />
        ))}
        {shown.length === 0 && <div className="gf-muted">No messages.</div>}
      </div>
    </div>
  );
}
