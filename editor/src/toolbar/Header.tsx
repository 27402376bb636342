import { api } from '../api/client.js';
import { runtimeState } from '../state/runtime-state.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { ui } from '../state/ui-state.js';
import { redo, undo } from '../state/editor-state.js';
import { DeployButton } from './DeployButton.js';

export function Header() {
  const user = useStore(session, (s) => s.user);
  const connected = useStore(runtimeState, (s) => s.connected);
  const logout = (): void => {
    api.logout().finally(() => session.set({ user: null }));
  };
  return (
    <header className="gf-header">
      <div className="gf-brand">
        <span className="gf-logo">◇</span> Gridflow
      </div>
      <div className="gf-header-actions">
        <button type="button" onClick={undo} data-testid="undo" title="Undo (Ctrl+Z)">
          ↶
        </button>
        <button type="button" onClick={redo} data-testid="redo" title="Redo (Ctrl+Y)">
          ↷
        </button>
        <button type="button" onClick={() => ui.set({ dialog: 'search' })} data-testid="open-search" title="Search (Ctrl+F)">
          Search
        </button>
        <button type="button" onClick={() => ui.set({ dialog: 'import' })} data-testid="open-import" title="Import (Ctrl+I)">
          Import
        </button>
        <button type="button" onClick={() => ui.set({ dialog: 'export' })} data-testid="open-export" title="Export (Ctrl+E)">
          Export
        </button>
        <DeployButton />
        <span
          className={`gf-conn ${connected ? 'on' : 'off'}`}
          title={connected ? 'connected to the server' : 'not connected'}
          data-testid="connection"
        />
        <span className="gf-user" data-testid="user">
          {user?.username} <small>({user?.role})</small>
        </span>
        <button type="button" onClick={logout} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}
