import { useState } from 'react';
import { endpoints, type Enrollment } from '@gridflow/runtime/contract';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, request } from '../shared/http.js';
import { LoadError, Pill } from '../shared/ui.js';

function tokenState(e: Enrollment, now = Date.now()): 'used' | 'revoked' | 'expired' | 'open' {
  if (e.usedAt) return 'used';
  if (e.revoked) return 'revoked';
  if (Date.parse(e.expiresAt) < now) return 'expired';
  return 'open';
}
const PILL = { used: 'succeeded', revoked: 'disabled', expired: 'offline', open: 'info' } as const;

/** Enrollment tokens made so far: an open one can be revoked before a machine uses it. */
export function EnrollmentsCard({ version }: { version: number }) {
  const list = useLoad((signal) => request('load enrollment tokens', endpoints.listEnrollments, { signal }), [version]);
  const [error, setError] = useState('');
  const revoke = async (e: Enrollment): Promise<void> => {
    try {
      await request('revoke the enrollment token', endpoints.revokeEnrollment, { params: { id: e.id } });
      setError('');
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const rows = list.data?.enrollments ?? [];
  return (
    <div className="gf-card" data-testid="enrollments">
      <h2>Enrollment tokens</h2>
      {(list.error || error) && <LoadError message={list.error || error} retry={list.reload} />}
      {rows.length === 0 ? (
        <div className="gf-empty">No tokens made yet.</div>
      ) : (
        <table className="gf-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Group</th>
              <th>State</th>
              <th>Made by</th>
              <th>Made</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const state = tokenState(e);
              return (
                <tr key={e.id} data-testid={`enrollment-${e.id}`}>
                  <td>{e.name ?? <span className="gf-muted">host name</span>}</td>
                  <td>{e.group ?? '—'}</td>
                  <td>
                    <Pill kind={PILL[state]}>{state}</Pill>
                  </td>
                  <td>{e.createdBy}</td>
                  <td>{formatTime(e.createdAt)}</td>
                  <td>{formatTime(e.expiresAt)}</td>
                  <td>
                    {state === 'open' && (
                      <button type="button" className="danger" onClick={() => void revoke(e)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
