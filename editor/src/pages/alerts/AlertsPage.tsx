import { useEffect, useState } from 'react';
import { alertSeveritySchema, endpoints, type AlertRecord, type AlertSeverity } from '@gridflow/runtime/contract';
import type { PageProps } from '../registry.js';
import { formatAgo, formatTime, formatValue } from '../shared/format.js';
import { useDebounced } from '../shared/hooks.js';
import { errorMessage, request, withModule } from '../shared/http.js';
import { LiveMarker, useServerEvent } from '../shared/live.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { applyAlertUpdates, type AlertFilter } from './alert-list.js';

const PAGE = 200;
type Tab = 'active' | 'history';

/** The filter of a tab: "active" is what is raised now; "history" is every alert, cleared ones too. */
function filterOf(tab: Tab, severities: AlertSeverity[], unackedOnly: boolean, search: string): AlertFilter {
  return {
    ...(tab === 'active' ? { state: 'raised' as const } : {}),
    ...(severities.length ? { severities } : {}),
    ...(unackedOnly ? { acknowledged: false } : {}),
    ...(search ? { search } : {}),
  };
}

/** Alerts of threshold alert nodes: live, with acknowledge, and their history. */
export function AlertsPage(_props: PageProps) {
  const [tab, setTab] = useState<Tab>('active');
  const [severities, setSeverities] = useState<AlertSeverity[]>([]);
  const [unackedOnly, setUnackedOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [alerts, setAlerts] = useState<AlertRecord[]>([]);
  const [counts, setCounts] = useState({ raised: 0, unacknowledged: 0 });
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');
  const settledSearch = useDebounced(search.trim());
  const filter = filterOf(tab, severities, unackedOnly, settledSearch);
  const filterKey = JSON.stringify(filter);

  const load = async (before?: string): Promise<void> => {
    try {
      const res = await withModule('The alerts module', request('load alerts', endpoints.listAlerts, {
        query: {
          state: filter.state,
          severity: filter.severities?.join(','),
          acknowledged: filter.acknowledged,
          search: filter.search,
          limit: PAGE,
          before,
        },
      }));
      setAlerts((old) => (before ? [...old, ...res.alerts] : res.alerts));
      setCounts(res.counts);
      setMore(res.alerts.length === PAGE);
      setError('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    void load();
    // Dependencies: the filter is the dependency
  }, [filterKey]);

  useServerEvent('alert', (event) => {
    setAlerts((list) => applyAlertUpdates(list, event.alerts, filter));
    // The counts cover all alerts: ask for them again rather than guess from a batch.
    request('count alerts', endpoints.listAlerts, { query: { limit: 1 } }).then(
      (r) => setCounts(r.counts),
      () => undefined,
    );
  });

  const ack = async (a: AlertRecord): Promise<void> => {
    try {
      const res = await request(`acknowledge alert ${a.key}`, endpoints.ackAlert, { params: { id: a.id } });
      setAlerts((list) => applyAlertUpdates(list, [res.alert], filter));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="gf-page-inner">
      <PageHead title="Alerts" note={`${counts.raised} raised, ${counts.unacknowledged} waiting for acknowledgement`}>
        <LiveMarker />
      </PageHead>
      <div className="gf-tabs">
        <button type="button" className={tab === 'active' ? 'active' : undefined} onClick={() => setTab('active')} data-testid="alerts-tab-active">
          Active <span className="gf-badge">{counts.raised}</span>
        </button>
        <button type="button" className={tab === 'history' ? 'active' : undefined} onClick={() => setTab('history')} data-testid="alerts-tab-history">
          History
        </button>
      </div>
      <div className="gf-toolbar">
        {alertSeveritySchema.options.map((s) => (
          <label key={s} className="gf-radio">
            <input type="checkbox" checked={severities.includes(s)} onChange={(e) => setSeverities(e.target.checked ? [...severities, s] : severities.filter((x) => x !== s))} />
            <Pill kind={s} />
          </label>
        ))}
        <label className="gf-radio">
          <input type="checkbox" checked={unackedOnly} onChange={(e) => setUnackedOnly(e.target.checked)} /> not acknowledged
        </label>
        <input type="search" placeholder="Search key or message" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="alerts-search" />
      </div>
      {error && <LoadError message={error} retry={() => void load()} />}
      <div className="gf-card">
        <table className="gf-table" data-testid="alerts-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>State</th>
              <th>Key</th>
              <th>Message</th>
              <th className="num">Value</th>
              <th>Raised</th>
              <th>Cleared</th>
              <th>Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-testid={`alert-${a.key}`} data-state={a.state} data-acknowledged={String(a.acknowledged)}>
                <td>
                  <Pill kind={a.severity} />
                </td>
                <td>
                  <Pill kind={a.state} />
                </td>
                <td className="gf-mono">{a.key}</td>
                <td>
                  {a.message}
                  {a.clearMessage && <div className="gf-muted">{a.clearMessage}</div>}
                </td>
                <td className="num">
                  {formatValue(a.value)}
                  {a.state === 'cleared' && <div className="gf-muted">{formatValue(a.clearValue)}</div>}
                </td>
                <td title={formatTime(a.raisedAt)}>{formatAgo(a.raisedAt)}</td>
                <td title={formatTime(a.clearedAt)}>{a.clearedAt ? formatAgo(a.clearedAt) : '—'}</td>
                <td>
                  {a.acknowledged ? (
                    <span title={formatTime(a.ackedAt)}>by {a.ackedBy}</span>
                  ) : (
                    <button type="button" onClick={() => void ack(a)} data-testid={`ack-${a.key}`}>
                      Acknowledge
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {alerts.length === 0 && <div className="gf-empty">{tab === 'active' ? 'No alert is raised.' : 'No alerts.'}</div>}
        {more && (
          <div className="gf-actions">
            <button type="button" onClick={() => void load(alerts[alerts.length - 1]?.id)}>
              Older alerts
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
