import type { Device, DeviceLifecycleChange, LiveDeviceEvent, PointValue } from '@gridflow/runtime/contract';

export interface ListScope {
  productKey?: string;
  /** The list's state filter: a state change may move a device in or out of it. */
  state?: Device['state'];
}

/** Whether pushed changes add or remove rows of a list (created, deleted, a state its filter selects): then it loads again. */
export function changesNeedReload(changes: readonly DeviceLifecycleChange[], scope: ListScope): boolean {
  return changes.some(
    (c) =>
      (!scope.productKey || scope.productKey === c.productKey) && (c.created || c.deleted || (scope.state && c.state)),
  );
}

/** Pushed lifecycle changes, applied to the rows a list (or a detail page, as one row) shows. */
export function applyLifecycle(devices: readonly Device[], changes: readonly DeviceLifecycleChange[]): Device[] {
  if (changes.length === 0) return devices as Device[];
  const index = new Map(devices.map((d, i) => [`${d.productKey}/${d.deviceKey}`, i]));
  const out = [...devices];
  const removed = new Set<number>();
  for (const c of changes) {
    const i = index.get(`${c.productKey}/${c.deviceKey}`);
    if (i === undefined) continue;
    if (c.deleted) {
      removed.add(i);
      continue;
    }
    const d = out[i] as Device;
    out[i] = {
      ...d,
      ...(c.state !== undefined ? { state: c.state } : {}),
      ...(c.disabled !== undefined ? { disabled: c.disabled } : {}),
      ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
    };
  }
  return removed.size ? out.filter((_, i) => !removed.has(i)) : out;
}

/** Latest values: each point keeps the newer of what it had and what came (a late REST answer loses to a push). */
export function mergePoints(
  base: Readonly<Record<string, PointValue>>,
  update: Readonly<Record<string, PointValue>>,
): Record<string, PointValue> {
  const out = { ...base };
  for (const [id, v] of Object.entries(update)) {
    const prev = out[id];
    if (!prev || prev.time <= v.time) out[id] = v;
  }
  return out;
}

/** One row of the recent events table, from QuestDB or pushed. */
export interface EventRow {
  time: number;
  event: string;
  /** The outputs as JSON text (QuestDB stores them so). */
  payload: string;
}

/** Stored and pushed events together, newest first, each once (same time and event), at most `limit`. */
export function mergeEvents(
  stored: readonly EventRow[],
  pushed: readonly LiveDeviceEvent[],
  limit: number,
): EventRow[] {
  const seen = new Set<string>();
  const rows: EventRow[] = [];
  const add = (r: EventRow) => {
    const key = `${r.time}/${r.event}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(r);
  };
  for (const e of pushed) add({ time: e.time, event: e.event, payload: JSON.stringify(e.values) });
  for (const r of stored) add(r);
  return rows.sort((a, b) => b.time - a.time).slice(0, limit);
}

/** A row of `SELECT ts, event, payload` as the SQL endpoint returns it. */
export function eventRowOf(row: readonly unknown[]): EventRow {
  const [ts, event, payload] = row;
  const time = typeof ts === 'number' ? ts : typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  return { time, event: String(event), payload: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}
