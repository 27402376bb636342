import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createRegistry } from '@gridflow/runtime';
import { flowsResponseSchema, type StorageStatus } from '@gridflow/runtime/contract';
import { createSqlClient, storageNodes } from '@gridflow/nodes/storage';
import { probeQuestDb } from '../../src/questdb/index.js';
import { questdbModule } from '../../src/questdb/questdb-module.js';
import { adminClient, startTestServer } from '../helpers.js';
import { testNodes } from '../test-nodes.js';
import { useQuestDb } from '../support/questdb.js';

/** The module's own life cycle: a QuestDB it starts (and stops), or an external one it leaves alone. */

const external = useQuestDb();
const registry = () => createRegistry([...testNodes, ...storageNodes]);

describe('questdbModule', () => {
  it('starts QuestDB in the data directory, offers it to nodes, and stops it on close', async () => {
    const ts = await startTestServer(
      {},
      { registry: registry(), modules: [questdbModule({ questdb: { httpPort: 0, pgPort: 0, heapMb: 256 } })] },
    );
    let closed = false;
    try {
      expect(existsSync(join(ts.dataDir, 'questdb', 'conf', 'server.conf'))).toBe(true);
      const admin = await adminClient(ts.url);
      const status = (await admin.request('GET', '/api/storage/status')).body as StorageStatus;
      expect(status.questdb).toMatchObject({ managed: true, host: '127.0.0.1' });
      const connection = { host: '127.0.0.1', httpPort: status.questdb.httpPort, pgPort: status.questdb.pgPort };
      await probeQuestDb({ ...connection, user: 'admin', password: 'quest', database: 'qdb', tls: false });

      // A flow whose connection node says "the host's QuestDB" writes there without host or ports.
      const rev = flowsResponseSchema.parse((await admin.request('GET', '/api/flows')).body).rev;
      const flows = [
        { id: 'tab1', type: 'tab', label: 'Flow 1' },
        { id: 'qdb1', type: 'questdb-config', name: 'host', useHost: true },
        {
          id: 'out1',
          type: 'questdb out',
          z: 'tab1',
          questdb: 'qdb1',
          table: 'flow_rows',
          symbols: ['device'],
          wires: [],
        },
      ];
      const deployed = await admin.request('POST', '/api/deploy', { flows, rev, type: 'full' });
      expect(deployed.status).toBe(200);
      ts.server.runtime.receive('out1', { payload: { device: 'x', v: 1.5, ts: Date.UTC(2026, 0, 1) } });
      ts.server.runtime.receive('out1', { payload: { device: 'x', v: 2.5, ts: Date.UTC(2026, 0, 1, 0, 1) } });
      const sql = createSqlClient({ connection });
      try {
        // The node creates the table with its first batch; until then there is nothing to ask.
        await vi.waitFor(
          async () =>
            expect((await sql.query('SELECT sum(v) s FROM flow_rows WHERE device = $1', ['x'])).rows).toEqual([
              { s: 4 },
            ]),
          {
            timeout: 20_000,
            interval: 100,
          },
        );
      } finally {
        await sql.close();
      }

      await ts.close();
      closed = true;
      await expect(
        probeQuestDb({ ...connection, user: 'admin', password: 'quest', database: 'qdb', tls: false }, 500),
      ).rejects.toThrow(/ECONNREFUSED|HTTP port/);
    } finally {
      if (!closed) await ts.close();
    }
  }, 120_000);

  it('uses an external QuestDB from the configuration and leaves it running on close', async () => {
    const c = external().connection;
    const ts = await startTestServer(
      {},
      { modules: [questdbModule({ questdb: { external: { host: c.host, httpPort: c.httpPort, pgPort: c.pgPort } } })] },
    );
    const admin = await adminClient(ts.url);
    const status = (await admin.request('GET', '/api/storage/status')).body as StorageStatus;
    expect(status.questdb).toEqual({
      managed: false,
      host: c.host,
      httpPort: c.httpPort,
      pgPort: c.pgPort,
      consoleUrl: `http://${c.host}:${c.httpPort}/`,
    });
    expect(existsSync(join(ts.dataDir, 'questdb'))).toBe(false);
    await ts.close();
    await probeQuestDb(c);
  });

  it('fails the start with a clear message when the external QuestDB is not there', async () => {
    await expect(
      startTestServer(
        {},
        {
          modules: [
            questdbModule({
              questdb: { external: { host: '127.0.0.1', httpPort: 1, pgPort: 2 }, startTimeoutMs: 300 },
            }),
          ],
        },
      ),
    ).rejects.toThrow(
      /module questdb failed to start: the external QuestDB at 127\.0\.0\.1 \(http 1, pg 2\) is not reachable/,
    );
  });
});
