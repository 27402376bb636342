import { useState } from 'react';
import { storageEndpoints } from '@gridflow/runtime/contract';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { LoadError } from '../shared/ui.js';

/** Rows QuestDB refused (a value that does not fit its column): kept aside with the reason, never retried. */
export function RejectedRows({ count }: { count: number }) {
  const [open, setOpen] = useState(false);
  const rows = useLoad(
    (signal) =>
      open
        ? request('load rejected rows', storageEndpoints.rejectedRows, { query: { limit: 100 }, signal })
        : Promise.resolve(undefined),
    [open, count],
  );
  if (count === 0 && !open) return null;
  return (
    <div className="gf-card" data-testid="rejected-rows">
      <h2>
        Rejected rows <span className="gf-pill failed">{count}</span>
        <button type="button" onClick={() => setOpen(!open)}>
          {open ? 'Hide' : 'Show'}
        </button>
      </h2>
      {rows.error && <LoadError message={rows.error} />}
      {open && rows.data && (
        <div className="gf-table-wrap" style={{ maxHeight: 300 }}>
          <table className="gf-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Table</th>
                <th>Reason</th>
                <th>Row</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.at)}</td>
                  <td className="gf-mono">{r.table}</td>
                  <td>{r.reason}</td>
                  <td className="gf-mono">{JSON.stringify(r.row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.data.total > rows.data.rows.length && (
            <div className="gf-empty">{rows.data.total} kept in all; the newest 100 are shown.</div>
          )}
        </div>
      )}
    </div>
  );
}
