import type { DeviceEventMessage } from '@gridflow/nodes/device';
import type { Alert } from '@gridflow/nodes/stream';
import { ensureTable, type Row, type SqlClient, type TableLayoutInput } from '@gridflow/nodes/storage';

/**
 * Device events and alerts, each in a table of its own next to the products' measure point tables.
 * Their dedup keys make a replayed event or alert transition land once.
 */

export const EVENTS_TABLE = 'device_events';
export const ALERTS_TABLE = 'alerts';

export const eventsLayout: TableLayoutInput = {
  table: EVENTS_TABLE,
  symbols: ['product', 'device', 'event'],
  columns: [{ name: 'payload', type: 'varchar' }],
  timestamp: 'ts',
  partitionBy: 'DAY',
};

export const alertsLayout: TableLayoutInput = {
  table: ALERTS_TABLE,
  symbols: ['alert_id', 'state', 'severity', 'source'],
  columns: [
    { name: 'key', type: 'varchar' },
    { name: 'message', type: 'varchar' },
    { name: 'value', type: 'varchar' },
  ],
  timestamp: 'ts',
  partitionBy: 'MONTH',
  dedupKeys: ['ts', 'alert_id', 'state'],
};

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';

export function eventRow(message: DeviceEventMessage): Row {
  return {
    table: EVENTS_TABLE,
    symbols: { product: message.productKey, device: message.deviceKey, event: message.event },
    columns: { payload: json(message.values) },
    types: { payload: 'varchar' },
    ts: message.time,
  };
}

export function alertRow(alert: Alert): Row {
  return {
    table: ALERTS_TABLE,
    symbols: { alert_id: alert.id, state: alert.state, severity: alert.severity, source: alert.source },
    columns: { key: alert.key, message: alert.message, value: json(alert.value) },
    types: { key: 'varchar', message: 'varchar', value: 'varchar' },
    ts: alert.time,
  };
}

/** A prepareTable step for the two tables: created once per process (IF NOT EXISTS), then nothing. */
export function historyTablePreparer(sql: SqlClient): (table: string) => Promise<boolean> {
  const done = new Set<string>();
  const layouts = new Map([
    [EVENTS_TABLE, eventsLayout],
    [ALERTS_TABLE, alertsLayout],
  ]);
  return async (table) => {
    const layout = layouts.get(table);
    if (!layout) return false;
    if (!done.has(table)) {
      await ensureTable(sql, layout);
      done.add(table);
    }
    return true;
  };
}
