// Watches a table's row count from a thread of its own, so the time a row is seen to be queryable
// does not depend on how busy the thread under test is (the device path's poller would otherwise
// share its event loop with the broker and the writer, and see rows late whenever that loop is busy).
// Records [epoch ms, count] pairs until told to stop, then posts them.
import { parentPort, workerData } from 'node:worker_threads';
import { createSqlClient } from '@gridflow/nodes/storage';

const { connection, table, already } = workerData;
const sql = createSqlClient({ connection });
const seen = [];
let stop = false;
parentPort.once('message', () => (stop = true));
parentPort.postMessage('started');
while (!stop) {
  try {
    const { rows } = await sql.query(`SELECT count() n FROM "${table}"`);
    seen.push([performance.timeOrigin + performance.now(), Number(rows[0]?.n ?? 0) - already]);
  } catch {
    // The table may not exist yet; the next poll tries again.
  }
  await new Promise((r) => setTimeout(r, 10));
}
await sql.close();
parentPort.postMessage(seen);
