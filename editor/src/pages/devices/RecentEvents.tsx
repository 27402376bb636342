import { keySchema, timeseriesEndpoints, type ThingModel } from '@gridflow/runtime/contract';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { PageRequestError, request, withModule } from '../shared/http.js';
import { Pill } from '../shared/ui.js';

const POLL_MS = 5000;
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

/** The device's newest events, from QuestDB (stored once the product has a storage policy). */
export function RecentEvents({ productKey, deviceKey, model }: { productKey: string; deviceKey: string; model: ThingModel }) {
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
    [],
    POLL_MS,
  );
  const typeOf = new Map(model.events.map((e) => [e.identifier, e.eventType]));
  const rows = events.data?.rows ?? [];
  return (
    <div className="gf-card" data-testid="recent-events">
      <h2>Recent events</h2>
      {events.error ? (
        <div className="gf-empty">
          Events are not available: {events.error}. Events are kept in QuestDB once the product has a storage policy.
        </div>
      ) : (
        <table className="gf-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>Output</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const [ts, event, payload] = r;
              const id = String(event);
              return (
                <tr key={i} data-testid={`event-${id}`}>
                  <td>{formatTime(typeof ts === 'string' || typeof ts === 'number' ? ts : null)}</td>
                  <td>
                    {id} <Pill kind={typeOf.get(id) === 'error' ? 'failed' : typeOf.get(id) === 'warning' ? 'warning' : 'info'}>{typeOf.get(id) ?? 'event'}</Pill>
                  </td>
                  <td className="gf-mono">{String(payload)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!events.error && !events.loading && rows.length === 0 && <div className="gf-empty">No events stored yet.</div>}
    </div>
  );
}
