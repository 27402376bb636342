import { useCallback, useEffect, useState } from 'react';
import type { VersionDiffResponse, VersionSummary } from '@gridflow/runtime/contract';
import { api } from '../api/client.js';
import { nodeLabel } from '../model/index.js';
import { isDirty } from '../state/derived.js';
import { reloadFlows } from '../state/deploy.js';
import { currentDoc, editor } from '../state/editor-state.js';
import { canDeploy, session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { notify } from '../state/ui-state.js';

interface DiffView {
  version: number;
  diff: VersionDiffResponse;
  names: Map<string, string>;
}

function DiffList({ title, ids, names, kind }: { title: string; ids: string[]; names: Map<string, string>; kind: string }) {
  if (ids.length === 0) return null;
  return (
    <div className={`gf-diff-${kind}`}>
      <strong>{title}</strong>
      <ul>
        {ids.map((id) => (
          <li key={id} data-testid={`diff-${kind}`}>
            {names.get(id) ?? id}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Deployed versions, newest first: what each changed, its diff against now, roll back. */
export function VersionsPanel() {
  const rev = useStore(editor, (s) => s.rev);
  const allowed = useStore(session, canDeploy);
  const catalog = useStore(session, (s) => s.catalog);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [diff, setDiff] = useState<DiffView | null>(null);
  const [error, setError] = useState('');

  const refresh = useCallback(() => {
    api.versions().then(
      (r) => {
        setVersions(r.versions);
        setError('');
      },
      (err: unknown) => setError((err as Error).message),
    );
  }, []);
  useEffect(refresh, [refresh, rev]);

  const showDiff = async (n: number): Promise<void> => {
    try {
      const [d, v] = await Promise.all([api.versionDiff(n), api.version(n)]);
      const names = new Map<string, string>();
      for (const node of [...currentDoc(), ...v.flows]) {
        names.set(node.id, `${nodeLabel(node, catalog.get(node.type))} (${node.type})`);
      }
      setDiff({ version: n, diff: d, names });
    } catch (err) {
      notify('error', `Diff failed: ${(err as Error).message}`);
    }
  };

  const rollback = async (n: number): Promise<void> => {
    const s = editor.get();
    const warn = isDirty(s.history.present, s.deployed) ? ' Your undeployed changes will be lost.' : '';
    if (!window.confirm(`Roll back to version ${n}?${warn}`)) return;
    try {
      await api.rollback(n, s.rev);
      await reloadFlows();
      notify('success', `Rolled back to version ${n}`);
      setDiff(null);
      refresh();
    } catch (err) {
      notify('error', `Roll back failed: ${(err as Error).message}`);
    }
  };

  return (
    <div className="gf-versions" data-testid="versions-panel">
      <div className="gf-versions-toolbar">
        <button type="button" onClick={refresh} data-testid="versions-refresh">
          Refresh
        </button>
      </div>
      {error && <div className="gf-field-error">{error}</div>}
      <ul className="gf-version-list">
        {versions.map((v, i) => (
          <li key={v.version} className={i === 0 ? 'current' : ''} data-testid={`version-${v.version}`}>
            <div className="gf-version-head">
              <strong>v{v.version}</strong>
              <span className="gf-version-type">{v.rollbackOf !== null ? `rollback to v${v.rollbackOf}` : v.type}</span>
              <span className="gf-muted">
                {v.user} · {new Date(v.time).toLocaleString()}
              </span>
            </div>
            <div className="gf-version-summary">{v.summary}</div>
            <div className="gf-version-actions">
              {i > 0 && (
                <>
                  <button type="button" data-testid={`version-diff-${v.version}`} onClick={() => void showDiff(v.version)}>
                    Diff
                  </button>
                  <button
                    type="button"
                    data-testid={`version-rollback-${v.version}`}
                    disabled={!allowed}
                    title={allowed ? 'deploy this version again' : 'your role may not deploy'}
                    onClick={() => void rollback(v.version)}
                  >
                    Roll back
                  </button>
                </>
              )}
              {i === 0 && <span className="gf-muted">deployed now</span>}
            </div>
            {diff?.version === v.version && (
              <div className="gf-diff" data-testid="version-diff">
                <div className="gf-muted">Rolling back to v{v.version} would:</div>
                <DiffList title="add" ids={diff.diff.added} names={diff.names} kind="added" />
                <DiffList title="remove" ids={diff.diff.removed} names={diff.names} kind="removed" />
                <DiffList title="change" ids={diff.diff.changed} names={diff.names} kind="changed" />
                <DiffList title="rewire" ids={diff.diff.rewired} names={diff.names} kind="rewired" />
                {diff.diff.added.length + diff.diff.removed.length + diff.diff.changed.length + diff.diff.rewired.length === 0 && (
                  <div className="gf-muted">No differences.</div>
                )}
              </div>
            )}
          </li>
        ))}
        {versions.length === 0 && !error && <li className="gf-muted">Nothing deployed yet.</li>}
      </ul>
    </div>
  );
}
