import { createRegistry, createRuntime } from '@gridflow/runtime';
import { storageNodes } from '@gridflow/nodes/storage';
import {
  columns,
  createBenchTable,
  rowValues,
  startBenchQuestDb,
  whenQueryable,
} from '/work/main/bench/questdb-lib.mjs';
const db = await startBenchQuestDb();
const c = db.qdb.connection;
try {
  for (const round of [1, 2]) {
    const table = `f${round}`;
    await createBenchTable(db.sql, table);
    const runtime = createRuntime({ registry: createRegistry(storageNodes), metricsIntervalMs: 0 });
    await runtime.deploy([
      { id: 't', type: 'tab', label: 'bench' },
      {
        id: 'q',
        type: 'questdb-config',
        host: c.host,
        httpPort: c.httpPort,
        pgPort: c.pgPort,
        batchRows: 5000,
        maxBufferedRows: 50_000,
        flushInterval: 100,
      },
      {
        id: 'o',
        type: 'questdb out',
        z: 't',
        questdb: 'q',
        table,
        symbols: ['device'],
        columns,
        timestamp: 'ts',
        wires: [],
      },
    ]);
    const N = 100000;
    const t = performance.now();
    for (let i = 0; i < N; i++) {
      runtime.receive('o', { payload: { device: `d${i % 10}`, ...rowValues(i), ts: Date.UTC(2026, 0, 1) + i } });
      if (i % 1000 === 999) while (runtime.metrics().queueDepth > 20_000) await new Promise((r) => setTimeout(r, 1));
    }
    const queued = performance.now() - t;
    await runtime.idle();
    const idle = performance.now() - t;
    await whenQueryable(db.sql, table, N);
    console.log(
      round,
      'queued',
      Math.round(queued),
      'idle',
      Math.round(idle),
      'visible',
      Math.round(performance.now() - t),
      'rows/s',
      Math.round((N / (performance.now() - t)) * 1000),
    );
    await runtime.close();
  }
} finally {
  await db.close();
}
