import { useMemo } from 'react';
import { keySchema, timeseriesEndpoints, type LiveDeviceEvent, type ThingModel } from '@gridflow/runtime/contract';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { PageRequestError, request, withModule } from '../shared/http.js';
import { Pill } from '../shared/ui.js';
import { eventRowOf, mergeEvents } from './live-apply.js';

const LIMIT = 20;

/**
 * The SQL for a device's newest events from the events table the storage module keeps. The keys
 * are checked against the contract's key pattern (letters, digits, _ . -) before they are put in
 * quotes, so they cannot change the statement.
 */
export function recentEventsSql(productKey: string, deviceKey: string, limit = LIMIT): string {
  const pk = keySchema.parse(productKey);
  const dk = keySchema.parse(deviceKey);
  return `SELECT ts, event, payload FROM device_events WHERE product = '${pk}' AND device = '${dk}' ORDER BY ts DESC LIMIT ${limit}`;
}

/**
 * The device's newest events: those stored in QuestDB (once the product has a storage policy),
 * loaded once (again at each `resync`), with the events the server pushes while the page is open.
 */
export function RecentEvents({
  productKey,
  deviceKey,
  model,
  live,
  resync,
}: {
  productKey: string;
  deviceKey: string;
  model: ThingModel;
  live: readonly LiveDeviceEvent[];
  resync: number;
}) {
  const events = useLoad(
    async (signal) => {
      try {
        return await withModule(
          'Time-series storage (QuestDB)',
          request(`load events of ${deviceKey}`, timeseriesEndpoints.sql, { body: { sql: recentEventsSql(productKey, deviceKey), limit: LIMIT }, signal }),
        );
      } catch (err) {
        // The events table is made with the first stored event: until then there is nothing to show.
        if (err instanceof PageRequestError && err.code === 'VALIDATION' && /does not exist/.test(err.message)) return undefined;
        throw err;
      }
    },
    [resync],
  );
  const typeOf = new Map(model.events.map((e) => [e.identifier, e.eventType]));
  const stored = events.data?.rows;
  const rows = useMemo(() => mergeEvents((stored ?? []).map(eventRowOf), live, LIMIT), [stored, live]);
  return (
    <div className="gf-card" data-testid="recent-events">
      <h2>Recent events</h2>
      {events.error && (
        <div className="gf-empty">
          Stored events are not available: {events.error}. Events are kept in QuestDB once the product has a storage policy; new ones show here
          while the page is open.
        </div>
      )}
      {(!events.error || rows.length > 0) && (
        <table className="gf-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>Output</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const kind = typeOf.get(r.event);
              return (
                <tr key={`${r.time}/${r.event}`} data-testid={`event-${r.event}`}>
                  <td>{formatTime(Number.isNaN(r.time) ? null : r.time)}</td>
                  <td>
                    {r.event} <Pill kind={kind === 'error' ? 'failed' : kind === 'warning' ? 'warning' : 'info'}>{kind ?? 'event'}</Pill>
                  </td>
                  <td className="gf-mono">{r.payload}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!events.error && !events.loading && rows.length === 0 && <div className="gf-empty">No events yet.</div>}
    </div>
  );
}
