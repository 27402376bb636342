import { useEffect, useRef, useState } from 'react';
import { endpoints } from '@gridflow/runtime/contract';
import type { PageProps } from '../registry.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { LiveMarker, useServerEvent } from '../shared/live.js';
import { LoadError, PageHead } from '../shared/ui.js';
import { EdgeRow } from './EdgeRow.js';
import { EnrollCard } from './EnrollCard.js';
import { EnrollmentsCard } from './EnrollmentsCard.js';
import { PackageCard } from './PackageCard.js';
import { TargetsCard } from './TargetsCard.js';
import { edgeGroups } from './edge-view.js';
import './edges.css';

/** Reloads at most once per `ms` however many events ask for it (heartbeats arrive every few seconds per edge). */
function useThrottledReload(reload: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return () => {
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      reload();
    }, ms);
  };
}

/** Edges: enroll agents, watch their health, backlog and revision, target flow tabs at them. */
export function EdgesPage(_props: PageProps) {
  const edges = useLoad((signal) => request('load edges', endpoints.listEdges, { signal }), [], 15_000);
  const [enrolling, setEnrolling] = useState(false);
  const [tokens, setTokens] = useState(0);
  const reloadSoon = useThrottledReload(edges.reload, 500);
  useServerEvent('edge', reloadSoon);

  const list = edges.data?.edges ?? [];
  const groups = edgeGroups(list);
  const online = list.filter((e) => e.online).length;

  return (
    <div className="gf-page-inner">
      <PageHead title="Edges" note={`${online} of ${list.length} online`}>
        <LiveMarker />
        <button
          type="button"
          className="primary"
          onClick={() => setEnrolling(true)}
          disabled={enrolling}
          data-testid="edge-enroll"
        >
          Enroll an edge
        </button>
      </PageHead>
      {edges.error && <LoadError message={edges.error} retry={edges.reload} />}
      {enrolling && (
        <EnrollCard
          groups={groups}
          onDone={() => {
            setEnrolling(false);
            setTokens((n) => n + 1);
            edges.reload();
          }}
        />
      )}
      <div className="gf-card">
        <table className="gf-table" data-testid="edge-list">
          <thead>
            <tr>
              <th>State</th>
              <th>Edge</th>
              <th>Group</th>
              <th>Version</th>
              <th className="num">Uptime</th>
              <th className="num">CPU</th>
              <th className="num">Memory</th>
              <th>Revision</th>
              <th>Backlog</th>
              <th>Gateway / device posts</th>
              <th className="num">Nodes / errors</th>
              <th>Last heartbeat</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <EdgeRow key={e.id} edge={e} onChanged={edges.reload} />
            ))}
          </tbody>
        </table>
        <datalist id="gf-edge-groups">
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        {!edges.loading && list.length === 0 && (
          <div className="gf-empty">
            No edges yet: enroll one, then start the agent on its machine with the command shown.
          </div>
        )}
      </div>
      <TargetsCard edges={list} groups={groups} onDeployed={edges.reload} />
      <PackageCard />
      <EnrollmentsCard version={tokens} />
    </div>
  );
}
