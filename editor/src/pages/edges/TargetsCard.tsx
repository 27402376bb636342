import { useEffect, useState } from 'react';
import { endpoints, type EdgeInfo, type FlowNode } from '@gridflow/runtime/contract';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, request } from '../shared/http.js';
import { LoadError } from '../shared/ui.js';
import { readTarget, sameTarget, tabReaches, withTarget, type TabTarget } from './edge-view.js';

const toggle = (list: string[], value: string, on: boolean): string[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

function TabTargetRow({
  tab,
  target,
  edges,
  groups,
  onChange,
}: {
  tab: FlowNode;
  target: TabTarget;
  edges: EdgeInfo[];
  groups: string[];
  onChange: (t: TabTarget) => void;
}) {
  const reached = edges.filter((e) => !e.revoked && tabReaches(target, e));
  return (
    <tr data-testid={`target-tab-${tab.id}`}>
      <td>
        <b>{String(tab['label'] ?? tab.id)}</b>
      </td>
      <td>
        <select
          value={target.target}
          onChange={(e) => onChange({ ...target, target: e.target.value === 'edge' ? 'edge' : 'cloud' })}
          data-testid={`target-select-${tab.id}`}
        >
          <option value="cloud">Cloud (this server)</option>
          <option value="edge">Edges</option>
        </select>
      </td>
      <td>
        {target.target === 'edge' && (
          <div className="gf-edge-choices">
            {edges
              .filter((e) => !e.revoked)
              .map((e) => (
                <label key={e.id}>
                  <input
                    type="checkbox"
                    checked={target.edges.includes(e.id) || target.edges.includes(e.name)}
                    onChange={(ev) =>
                      onChange({
                        ...target,
                        edges: toggle(
                          target.edges.filter((x) => x !== e.name),
                          e.id,
                          ev.target.checked,
                        ),
                      })
                    }
                    data-testid={`target-edge-${tab.id}-${e.name}`}
                  />
                  {e.name}
                </label>
              ))}
            {groups.map((g) => (
              <label key={`group:${g}`}>
                <input
                  type="checkbox"
                  checked={target.edgeGroups.includes(g)}
                  onChange={(ev) =>
                    onChange({ ...target, edgeGroups: toggle(target.edgeGroups, g, ev.target.checked) })
                  }
                  data-testid={`target-group-${tab.id}-${g}`}
                />
                group <i>{g}</i>
              </label>
            ))}
          </div>
        )}
      </td>
      <td className="gf-muted">
        {target.target === 'cloud'
          ? 'the server'
          : reached.length
            ? reached.map((e) => e.name).join(', ')
            : 'no edge yet'}
      </td>
    </tr>
  );
}

/**
 * Which flow tabs run in the cloud and which on edges or edge groups. Deploying sends each edge
 * its tabs with the config nodes, subflows and (sealed) credentials they use.
 */
export function TargetsCard({
  edges,
  groups,
  onDeployed,
}: {
  edges: EdgeInfo[];
  groups: string[];
  onDeployed: () => void;
}) {
  const flows = useLoad((signal) => request('load flows', endpoints.getFlows, { signal }), []);
  const [draft, setDraft] = useState<Record<string, TabTarget>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  useEffect(() => setDraft({}), [flows.data?.rev]);

  const tabs = (flows.data?.flows ?? []).filter((n) => n.type === 'tab');
  const targetOf = (tab: FlowNode): TabTarget => draft[tab.id] ?? readTarget(tab);
  const changed = tabs.filter((t) => !sameTarget(targetOf(t), readTarget(t)));

  const deploy = async (): Promise<void> => {
    if (!flows.data) return;
    let doc = flows.data.flows;
    for (const t of changed) doc = withTarget(doc, t.id, targetOf(t));
    setBusy(true);
    try {
      // The revision guards against overwriting a deploy made meanwhile from the canvas.
      const res = await request('deploy', endpoints.deploy, {
        body: { flows: doc, rev: flows.data.rev, type: 'flows' },
      });
      setResult({
        ok: true,
        text: `Deployed revision ${res.rev.slice(0, 8)}; edges acknowledge it in the list above.`,
      });
      flows.reload();
      onDeployed();
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gf-card" data-testid="edge-targets">
      <h2>Flow tabs and where they run</h2>
      {flows.error && <LoadError message={flows.error} retry={flows.reload} />}
      {tabs.length === 0 ? (
        <div className="gf-empty">No flow tabs deployed yet.</div>
      ) : (
        <table className="gf-table">
          <thead>
            <tr>
              <th>Tab</th>
              <th>Runs on</th>
              <th>Edges and groups</th>
              <th>Reaches</th>
            </tr>
          </thead>
          <tbody>
            {tabs.map((t) => (
              <TabTargetRow
                key={t.id}
                tab={t}
                target={targetOf(t)}
                edges={edges}
                groups={groups}
                onChange={(next) => setDraft({ ...draft, [t.id]: next })}
              />
            ))}
          </tbody>
        </table>
      )}
      {result && (
        <div className={result.ok ? 'gf-form-ok' : 'gf-form-error'} data-testid="targets-result">
          {result.text}
        </div>
      )}
      <div className="gf-actions">
        <button type="button" disabled={changed.length === 0 || busy} onClick={() => setDraft({})}>
          Undo changes
        </button>
        <button
          type="button"
          className="primary"
          disabled={changed.length === 0 || busy}
          onClick={() => void deploy()}
          data-testid="targets-deploy"
        >
          Deploy {changed.length ? `(${changed.length} tab${changed.length > 1 ? 's' : ''})` : ''}
        </button>
      </div>
    </div>
  );
}
