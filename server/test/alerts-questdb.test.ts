import { describe, expect, it, vi } from 'vitest';
import { createRegistry, type FlowNode } from '@gridflow/runtime';
import { createSqlClient, type Writer } from '@gridflow/nodes/storage';
import { streamNodes } from '@gridflow/nodes/stream';
import { alertsModule } from '../src/alerts/index.js';
import { questdbModule } from '../src/questdb/questdb-module.js';
import { adminClient, startTestServer } from './helpers.js';
import { useQuestDb, waitForWal } from './support/questdb.js';
import { testNodes } from './test-nodes.js';

/** Alerts copied to QuestDB's `alerts` table next to SQLite, with a real QuestDB. */

const qdb = useQuestDb();

const flows: FlowNode[] = [
  { id: 't', type: 'tab', label: 'Boilers' },
  {
    id: 'hot',
    type: 'threshold alert',
    z: 't',
    op: '>',
    threshold: 100,
    severity: 'critical',
    template: '{{key}} {{state}} at {{value}}',
    wires: [[]],
  },
];

describe('alerts with QuestDB', () => {
  it('copies raises and clears to the alerts table, and never a back-filled value', async () => {
    let writer: Writer | undefined;
    const ts = await startTestServer(
      {},
      {
        registry: createRegistry([...testNodes, ...streamNodes]),
        modules: [
          questdbModule({
            service: { connection: qdb().connection, managed: undefined, close: async () => undefined },
            onStarted: (s) => (writer = s.writer),
          }),
          // As defaultModules wires it: the alerts module finds the QuestDB module's service itself.
          alertsModule(),
        ],
      },
    );
    const sql = createSqlClient({ connection: qdb().connection });
    try {
      const admin = await adminClient(ts.url);
      expect((await admin.request('POST', '/api/deploy', { flows })).status).toBe(200);
      const inject = async (msg: Record<string, unknown>) => {
        expect((await admin.request('POST', '/api/inject/hot', { msg })).status).toBe(200);
        await ts.server.runtime.idle();
      };
      await inject({ topic: 'b-old', payload: 500, backfill: true });
      await inject({ topic: 'b1', payload: 120 });
      await inject({ topic: 'b1', payload: 80 });
      await writer?.flush();

      await vi.waitFor(
        async () => {
          await waitForWal(sql, ['alerts']);
          const { rows } = await sql.query<{
            alert_id: string;
            state: string;
            key: string;
            message: string;
            severity: string;
            source: string;
          }>('SELECT alert_id, state, key, message, severity, source FROM alerts ORDER BY ts');
          expect(rows.map((r) => [r.state, r.key, r.message, r.severity, r.source])).toEqual([
            ['raised', 'b1', 'b1 raised at 120', 'critical', 'hot'],
            ['cleared', 'b1', 'b1 cleared at 80', 'critical', 'hot'],
          ]);
          expect(new Set(rows.map((r) => r.alert_id)).size).toBe(1);
        },
        { timeout: 20_000, interval: 200 },
      );
      // The same alert is in SQLite, which the API answers from.
      const listed = (await admin.request('GET', '/api/alerts')).body as { alerts: { key: string; state: string }[] };
      expect(listed.alerts.map((a) => [a.key, a.state])).toEqual([['b1', 'cleared']]);
    } finally {
      await sql.close();
      await ts.close();
    }
  }, 120_000);
});
