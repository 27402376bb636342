import { useState } from 'react';
import { endpoints, type EdgeInfo } from '@gridflow/runtime/contract';
import { formatAgo, formatBytes } from '../shared/format.js';
import { errorMessage, request } from '../shared/http.js';
import { Pill } from '../shared/ui.js';
import { ageText, backlogText, backlogWarning, deployState } from './edge-view.js';
import { GatewayCell } from './GatewayCell.js';
import { GatewayForm } from './GatewayForm.js';

const short = (rev: string | null) => (rev ? rev.slice(0, 8) : '—');

function Revision({ edge }: { edge: EdgeInfo }) {
  const s = deployState(edge);
  if (s.kind === 'none') return <span className="gf-muted">nothing deployed</span>;
  if (s.kind === 'running') return <span className="gf-mono">{short(s.rev)}</span>;
  if (s.kind === 'deploying') {
    return (
      <span title={`running ${s.running ?? 'nothing'}, sent ${s.rev}`}>
        <span className="gf-mono">{short(s.running)}</span> → <span className="gf-mono">{short(s.rev)}</span>{' '}
        <Pill kind="info">{edge.online ? 'deploying' : 'pending'}</Pill>
      </span>
    );
  }
  return (
    <span>
      <span className="gf-mono">{short(s.running)}</span> <Pill kind="failed">{short(s.rev)} refused</Pill>
    </span>
  );
}

/** One edge: its state, health and gateway, and rename, group, gateway, restart flows and revoke. */
export function EdgeRow({ edge, onChanged }: { edge: EdgeInfo; onChanged: () => void }) {
  const [editing, setEditing] = useState<'name' | 'group' | null>(null);
  const [value, setValue] = useState('');
  const [message, setMessage] = useState('');
  const [binding, setBinding] = useState(false);
  const h = edge.health;
  const state = deployState(edge);
  const warning = backlogWarning(edge);

  const act = async (what: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
      setMessage('');
      setEditing(null);
      onChanged();
    } catch (err) {
      setMessage(`${what}: ${errorMessage(err)}`);
    }
  };
  const save = (): Promise<void> =>
    act(editing === 'name' ? 'rename' : 'set group', () =>
      request(`update edge ${edge.name}`, endpoints.updateEdge, {
        params: { id: edge.id },
        body: editing === 'name' ? { name: value.trim() } : { group: value.trim() === '' ? null : value.trim() },
      }),
    );
  const revoke = (): void => {
    if (
      !window.confirm(
        `Revoke edge ${edge.name}? It is disconnected and refused from now on; it must be enrolled again with a new token.`,
      )
    )
      return;
    void act('revoke', () => request(`revoke edge ${edge.name}`, endpoints.revokeEdge, { params: { id: edge.id } }));
  };
  const restart = (): void =>
    void act('restart flows', () =>
      request(`restart the flows of ${edge.name}`, endpoints.restartEdge, { params: { id: edge.id } }),
    );
  const startEdit = (what: 'name' | 'group'): void => {
    setEditing(what);
    setValue(what === 'name' ? edge.name : (edge.group ?? ''));
  };
  const status = edge.revoked ? 'revoked' : edge.online ? 'online' : 'offline';

  return (
    <>
      <tr data-testid={`edge-row-${edge.name}`} className={edge.revoked ? 'gf-muted' : undefined}>
        <td>
          <span className={`gf-dot ${edge.online ? 'online' : ''}`} />
          <Pill kind={edge.revoked ? 'disabled' : edge.online ? 'online' : 'offline'}>
            <span data-testid={`edge-state-${edge.name}`}>{status}</span>
          </Pill>
        </td>
        <td>
          {editing ? (
            <span className="gf-edge-edit">
              <input
                autoFocus
                value={value}
                list={editing === 'group' ? 'gf-edge-groups' : undefined}
                placeholder={editing === 'group' ? 'no group' : ''}
                onChange={(e) => setValue(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void save();
                  if (e.key === 'Escape') setEditing(null);
                }}
                data-testid={`edge-edit-${edge.name}`}
              />
              <button
                type="button"
                className="primary"
                onClick={() => void save()}
                data-testid={`edge-edit-save-${edge.name}`}
              >
                Save
              </button>
            </span>
          ) : (
            <>
              <b>{edge.name}</b>
              <div className="gf-muted gf-mono">{edge.id.slice(0, 8)}</div>
            </>
          )}
        </td>
        <td>{edge.group ?? <span className="gf-muted">—</span>}</td>
        <td>{h?.version ?? '—'}</td>
        <td className="num">{h ? ageText(h.uptimeSec) : '—'}</td>
        <td className="num">{h ? `${h.cpuPercent.toFixed(1)} %` : '—'}</td>
        <td className="num">{h ? formatBytes(h.rssBytes) : '—'}</td>
        <td data-testid={`edge-rev-${edge.name}`}>
          <Revision edge={edge} />
        </td>
        <td data-testid={`edge-backlog-${edge.name}`}>
          {backlogText(edge)}
          {warning && <div className="gf-field-error">{warning}</div>}
        </td>
        <GatewayCell edge={edge} />
        <td className="num" title="nodes running / errors reported">
          {h ? `${h.nodes} / ${h.errors}` : '—'}
        </td>
        <td>{formatAgo(edge.lastSeen)}</td>
        <td className="gf-edge-actions">
          {!edge.revoked && (
            <>
              <button type="button" onClick={() => startEdit('name')} data-testid={`edge-rename-${edge.name}`}>
                Rename
              </button>
              <button type="button" onClick={() => startEdit('group')} data-testid={`edge-group-${edge.name}`}>
                Group
              </button>
              <button
                type="button"
                onClick={() => setBinding(true)}
                disabled={binding}
                data-testid={`edge-bind-${edge.name}`}
              >
                Gateway
              </button>
              <button type="button" disabled={!edge.online} onClick={restart} data-testid={`edge-restart-${edge.name}`}>
                Restart flows
              </button>
              <button type="button" className="danger" onClick={revoke} data-testid={`edge-revoke-${edge.name}`}>
                Revoke
              </button>
            </>
          )}
        </td>
      </tr>
      {binding && !edge.revoked && (
        <tr>
          <td />
          <td colSpan={12}>
            <GatewayForm
              edge={edge}
              onCancel={() => setBinding(false)}
              onSaved={() => {
                setBinding(false);
                onChanged();
              }}
            />
          </td>
        </tr>
      )}
      {(state.kind === 'failed' || message) && (
        <tr data-testid={`edge-error-${edge.name}`}>
          <td />
          <td colSpan={12}>
            {message && <div className="gf-form-error">{message}</div>}
            {state.kind === 'failed' && (
              <div className="gf-form-error">
                Deployment {short(state.rev)} refused; the edge keeps running{' '}
                {state.running ? short(state.running) : 'nothing'}. {state.error}
                {state.problems.length > 0 && (
                  <ul>
                    {state.problems.map((p) => (
                      <li key={`${p.nodeId}:${p.property ?? ''}`}>
                        node <b className="gf-mono">{p.nodeId}</b> ({p.type})
                        {p.property ? ` property "${p.property}"` : ''}: {p.message}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
