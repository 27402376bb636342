import { PropertyPanel } from '../panel/PropertyPanel.js';
import { useStore } from '../state/store.js';
import { ui, type SidebarTab } from '../state/ui-state.js';
import { ConfigSidebar } from './ConfigSidebar.js';
import { DebugSidebar } from './DebugSidebar.js';
import { InfoSidebar } from './InfoSidebar.js';
import { VersionsPanel } from './VersionsPanel.js';

const TABS: { id: SidebarTab; label: string }[] = [
  { id: 'node', label: 'Properties' },
  { id: 'info', label: 'Info' },
  { id: 'debug', label: 'Debug' },
  { id: 'config', label: 'Config' },
  { id: 'history', label: 'History' },
];

/** The right-hand sidebar; only the open tab is mounted. */
export function Sidebar() {
  const tab = useStore(ui, (s) => s.sidebar);
  return (
    <aside className="gf-sidebar" data-testid="sidebar">
      <nav className="gf-sidebar-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            className={t.id === tab ? 'active' : ''}
            data-testid={`sidebar-tab-${t.id}`}
            onClick={() => ui.set({ sidebar: t.id })}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="gf-sidebar-body">
        {tab === 'node' && <PropertyPanel />}
        {tab === 'info' && <InfoSidebar />}
        {tab === 'debug' && <DebugSidebar />}
        {tab === 'config' && <ConfigSidebar />}
        {tab === 'history' && <VersionsPanel />}
      </div>
    </aside>
  );
}
