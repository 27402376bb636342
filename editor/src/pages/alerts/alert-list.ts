import type { AlertRecord, AlertSeverity, AlertState } from '@gridflow/runtime/contract';

/** What the alerts table shows; the same filter is sent to the server and applied to live events. */
export interface AlertFilter {
  state?: AlertState | undefined;
  severities?: readonly AlertSeverity[] | undefined;
  acknowledged?: boolean | undefined;
  search?: string | undefined;
}

export function matches(a: AlertRecord, f: AlertFilter): boolean {
  if (f.state && a.state !== f.state) return false;
  if (f.severities && f.severities.length > 0 && !f.severities.includes(a.severity)) return false;
  if (f.acknowledged !== undefined && a.acknowledged !== f.acknowledged) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (!a.key.toLowerCase().includes(s) && !a.message.toLowerCase().includes(s)) return false;
  }
  return true;
}

/**
 * Applies alerts from a live event to the list: a known id is replaced (raised → cleared, acked),
 * a new one is added; alerts that no longer match the filter leave. Newest raise first.
 */
export function applyAlertUpdates(list: readonly AlertRecord[], updates: readonly AlertRecord[], filter: AlertFilter): AlertRecord[] {
  const byId = new Map(list.map((a) => [a.id, a]));
  for (const u of updates) {
    const known = byId.get(u.id);
    // Events are batched; never let an older record of an alert replace a newer one.
    if (known && version(known) > version(u)) continue;
    byId.set(u.id, u);
  }
  return [...byId.values()].filter((a) => matches(a, filter)).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || b.id.localeCompare(a.id));
}

/** How far an alert has moved: cleared and acknowledged are each one step past raised. */
function version(a: AlertRecord): number {
  return (a.state === 'cleared' ? 1 : 0) + (a.acknowledged ? 1 : 0);
}
