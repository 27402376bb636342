import { Fragment, useEffect, useState } from 'react';
import { endpoints, type JobSchedule, type JobStatus } from '@gridflow/runtime/contract';
import type { PageProps } from '../registry.js';
import { formatAgo, formatDuration, formatNumber, formatTime } from '../shared/format.js';
import { errorMessage, request, withModule } from '../shared/http.js';
import { LiveMarker, useServerEvent } from '../shared/live.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { applyJobEvent, describeSchedule, type JobsState } from './job-list.js';

const LIMIT = 100;

/** ETL jobs: the schedules of the deployed flows (run now, pause) and their runs, live. */
export function JobsPage(_props: PageProps) {
  const [state, setState] = useState<JobsState>({ schedules: [], runs: [] });
  const [scheduleId, setScheduleId] = useState<string>();
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState('');
  const [loaded, setLoaded] = useState(false);
  const filter = { scheduleId, status: status || undefined };

  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all([
      withModule('The jobs module', request('load job schedules', endpoints.listJobSchedules, { signal: ctrl.signal })),
      request('load job runs', endpoints.listJobRuns, { query: { schedule: scheduleId, status: status || undefined, limit: LIMIT }, signal: ctrl.signal }),
    ]).then(
      ([s, r]) => {
        setState({ schedules: s.schedules, runs: r.runs });
        setError('');
        setLoaded(true);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setError(errorMessage(err));
      },
    );
    return () => ctrl.abort();
  }, [scheduleId, status]);

  useServerEvent('job', (event) => setState((s) => applyJobEvent(s, event, filter, LIMIT)));

  const act = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
      setError('');
    } catch (err) {
      setError(`${what}: ${errorMessage(err)}`);
    }
  };
  const runNow = (s: JobSchedule) =>
    act(`run ${s.name} now`, async () => {
      const { run } = await request(`run ${s.name} now`, endpoints.runJobNow, { params: { id: s.id } });
      setState((st) => applyJobEvent(st, { kind: 'run', run }, filter, LIMIT));
    });
  const togglePause = (s: JobSchedule) =>
    act(s.paused ? `resume ${s.name}` : `pause ${s.name}`, async () => {
      const ep = s.paused ? endpoints.resumeJobSchedule : endpoints.pauseJobSchedule;
      const { schedule } = await request(s.paused ? `resume ${s.name}` : `pause ${s.name}`, ep, { params: { id: s.id } });
      setState((st) => applyJobEvent(st, { kind: 'schedule', schedule }, filter, LIMIT));
    });

  const scheduleName = new Map(state.schedules.map((s) => [s.id, s.name]));
  return (
    <div className="gf-page-inner">
      <PageHead title="Jobs" note="each start of a flow by a schedule node is a job run">
        <LiveMarker />
      </PageHead>
      {error && <LoadError message={error} />}
      <div className="gf-card">
        <h2>Schedules</h2>
        <table className="gf-table" data-testid="job-schedules">
          <thead>
            <tr>
              <th>Schedule</th>
              <th>When</th>
              <th>Next run</th>
              <th>Last run</th>
              <th className="num">Running</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.schedules.map((s) => (
              <tr
                key={s.id}
                className={`clickable${s.id === scheduleId ? ' selected' : ''}`}
                onClick={() => setScheduleId(s.id === scheduleId ? undefined : s.id)}
                data-testid={`schedule-${s.name}`}
                data-paused={String(s.paused)}
              >
                <td>
                  <b>{s.name}</b>
                  {s.paused && (
                    <>
                      {' '}
                      <Pill kind="paused" />
                    </>
                  )}
                </td>
                <td>{describeSchedule(s)}</td>
                <td title={formatTime(s.nextRun)}>{s.paused ? '—' : formatTime(s.nextRun)}</td>
                <td>{s.lastRun ? <Pill kind={s.lastRun.status} /> : <span className="gf-muted">never</span>} {s.lastRun && formatAgo(s.lastRun.startedAt)}</td>
                <td className="num">{s.running}</td>
                <td style={{ whiteSpace: 'nowrap' }} onClick={(e) => e.stopPropagation()}>
                  <button type="button" onClick={() => void runNow(s)} data-testid={`run-now-${s.name}`}>
                    Run now
                  </button>{' '}
                  <button type="button" onClick={() => void togglePause(s)} data-testid={`pause-${s.name}`}>
                    {s.paused ? 'Resume' : 'Pause'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {loaded && state.schedules.length === 0 && <div className="gf-empty">No schedule nodes in the deployed flows.</div>}
      </div>
      <div className="gf-card">
        <div className="gf-toolbar">
          <h2 style={{ margin: 0 }}>Runs{scheduleId ? ` of ${scheduleName.get(scheduleId) ?? scheduleId}` : ''}</h2>
          {scheduleId && (
            <button type="button" onClick={() => setScheduleId(undefined)}>
              all schedules
            </button>
          )}
          <span style={{ flex: 1 }} />
          <select value={status} onChange={(e) => setStatus(e.target.value as JobStatus | '')} data-testid="runs-status">
            <option value="">any status</option>
            <option value="running">running</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
          </select>
        </div>
        <table className="gf-table" data-testid="job-runs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th>Started</th>
              <th>Ended</th>
              <th className="num">Duration</th>
              <th className="num">Rows read</th>
              <th className="num">Rows written</th>
              <th>Progress</th>
              <th className="num">Errors</th>
            </tr>
          </thead>
          <tbody>
            {state.runs.map((r) => (
              <Fragment key={r.id}>
                <tr className="clickable" onClick={() => setOpen(open === r.id ? undefined : r.id)} data-testid={`run-${r.id}`} data-status={r.status}>
                  <td>
                    {r.name} <span className="gf-muted">{r.trigger}{r.user ? ` by ${r.user}` : ''}</span>
                  </td>
                  <td>
                    <Pill kind={r.status} />
                  </td>
                  <td title={formatTime(r.startedAt)}>{formatTime(r.startedAt)}</td>
                  <td>{formatTime(r.endedAt)}</td>
                  <td className="num">{formatDuration(r.durationMs)}</td>
                  <td className="num" data-testid={`run-rows-read-${r.id}`}>
                    {formatNumber(r.rowsRead)}
                  </td>
                  <td className="num">{formatNumber(r.rowsWritten)}</td>
                  <td>
                    {r.status === 'running' && r.progress !== null ? (
                      <div className="gf-progress" title={`${Math.round(r.progress * 100)} %`}>
                        <div style={{ width: `${Math.round(r.progress * 100)}%` }} />
                      </div>
                    ) : null}
                    <span className="gf-muted">{r.error ?? r.message ?? ''}</span>
                  </td>
                  <td className="num">{r.errors.length || ''}</td>
                </tr>
                {open === r.id && (
                  <tr>
                    <td colSpan={9} style={{ background: '#fafafa' }} data-testid={`run-details-${r.id}`}>
                      {r.error && <div className="gf-form-error">{r.error}</div>}
                      {r.errors.length === 0 ? (
                        <span className="gf-muted">No problems reported during this run.</span>
                      ) : (
                        <ul style={{ margin: 0 }}>
                          {r.errors.map((e, i) => (
                            <li key={i}>
                              {formatTime(e.time)} <span className="gf-mono">{e.nodeId}</span>: {e.message}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {loaded && state.runs.length === 0 && <div className="gf-empty">No runs yet.</div>}
      </div>
    </div>
  );
}
