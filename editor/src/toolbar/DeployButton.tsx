import { useState } from 'react';
import { isDirty } from '../state/derived.js';
import { deploy, deployState, type DeployType } from '../state/deploy.js';
import { editor } from '../state/editor-state.js';
import { useChanged, useDoc } from '../state/hooks.js';
import { canDeploy, session } from '../state/session.js';
import { useStore } from '../state/store.js';

const TYPES: { type: DeployType; label: string; help: string }[] = [
  { type: 'full', label: 'Full', help: 'restart every node' },
  { type: 'flows', label: 'Modified flows', help: 'restart the nodes of changed flows' },
  { type: 'nodes', label: 'Modified nodes', help: 'restart only changed nodes' },
];

/** Deploy with its three types and the number of changed nodes; disabled for viewers. */
export function DeployButton() {
  const doc = useDoc();
  const deployed = useStore(editor, (s) => s.deployed);
  const changed = useChanged();
  const allowed = useStore(session, canDeploy);
  const busy = useStore(deployState, (s) => s.busy);
  const type = useStore(deployState, (s) => s.lastType);
  const [open, setOpen] = useState(false);
  const dirty = isDirty(doc, deployed);
  const title = allowed ? `Deploy (${TYPES.find((t) => t.type === type)?.label}) — Ctrl+D` : 'Your role may not deploy';
  return (
    <div className="gf-deploy">
      <button
        type="button"
        className={`gf-deploy-main${dirty ? ' dirty' : ''}`}
        data-testid="deploy-button"
        data-dirty={dirty}
        disabled={!allowed || busy}
        title={title}
        onClick={() => void deploy(type)}
      >
        {busy ? 'Deploying…' : 'Deploy'}
        {changed.size > 0 && (
          <span className="gf-badge" data-testid="changed-count" title="nodes changed since the last deploy">
            {changed.size}
          </span>
        )}
      </button>
      <button
        type="button"
        className="gf-deploy-more"
        data-testid="deploy-type-toggle"
        disabled={!allowed || busy}
        onClick={() => setOpen(!open)}
        aria-label="deploy type"
      >
        ▾
      </button>
      {open && (
        <ul className="gf-deploy-menu" role="menu" onMouseLeave={() => setOpen(false)}>
          {TYPES.map((t) => (
            <li key={t.type}>
              <button
                type="button"
                data-testid={`deploy-type-${t.type}`}
                className={t.type === type ? 'active' : ''}
                onClick={() => {
                  deployState.set({ lastType: t.type });
                  setOpen(false);
                }}
              >
                <strong>{t.label}</strong>
                <small>{t.help}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
