import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSqlClient,
  createWriter,
  downsampleViews,
  ensureTable,
  QuestDbParamError,
  QuestDbSqlError,
  QuestDbUnavailableError,
  readColumns,
  type SqlClient,
} from '@gridflow/nodes/storage';
import { connectExternalQuestDb, freePort } from '../../src/questdb/index.js';
import { useQuestDb, waitForValue, waitForWal } from '../support/questdb.js';

const qdb = useQuestDb();
let sql: SqlClient;

beforeAll(() => {
  sql = createSqlClient({ connection: qdb().connection });
});
afterAll(async () => {
  await sql?.close();
});

const T0 = Date.UTC(2025, 0, 1);

interface TableInfo {
  table_name: string;
  designatedTimestamp: string;
  partitionBy: string;
  walEnabled: boolean;
  dedup: boolean;
  ttlValue: number;
  ttlUnit: string;
}
const tableInfo = async (name: string) =>
  (await sql.query<TableInfo & Record<string, unknown>>('SELECT * FROM tables() WHERE table_name = $1', [name]))
    .rows[0];

describe('table layout on a live QuestDB', () => {
  it('creates a WAL table with device symbol, typed columns, designated ts, daily partitions, TTL and dedup keys', async () => {
    const layout = {
      table: 'meter',
      symbols: ['device'],
      columns: [
        { name: 'power', type: 'double' as const },
        { name: 'energy', type: 'long' as const },
        { name: 'on', type: 'boolean' as const },
        { name: 'note', type: 'varchar' as const },
      ],
      ttl: { value: 30, unit: 'DAYS' as const },
    };
    const first = await ensureTable(sql, layout);
    expect(first).toMatchObject({ created: true, added: [], conflicts: [] });
    expect(await tableInfo('meter')).toMatchObject({
      designatedTimestamp: 'ts',
      partitionBy: 'DAY',
      walEnabled: true,
      dedup: true,
      ttlValue: 30,
      ttlUnit: 'DAY',
    });
    const columns = await sql.query<{ column: string; type: string; upsertKey: boolean }>('SHOW COLUMNS FROM "meter"');
    expect(columns.rows.map((c) => [c.column, c.type, c.upsertKey])).toEqual([
      ['device', 'SYMBOL', true],
      ['power', 'DOUBLE', false],
      ['energy', 'LONG', false],
      ['on', 'BOOLEAN', false],
      ['note', 'VARCHAR', false],
      ['ts', 'TIMESTAMP', true],
    ]);
    expect(await ensureTable(sql, layout)).toMatchObject({ created: false, added: [], conflicts: [] });
  });

  it('adds columns for new points, keeps the ones no longer declared and never retypes', async () => {
    const result = await ensureTable(sql, {
      table: 'meter',
      columns: [
        { name: 'power', type: 'long' },
        { name: 'voltage', type: 'float' },
        { name: 'state', type: 'symbol' },
      ],
    });
    expect(result.created).toBe(false);
    expect(result.added).toEqual([
      { name: 'voltage', type: 'float' },
      { name: 'state', type: 'symbol' },
    ]);
    expect(result.conflicts).toEqual([{ column: 'power', declared: 'long', existing: 'DOUBLE' }]);
    await waitForWal(sql, ['meter']); // WAL tables apply ALTERs asynchronously
    const columns = await readColumns(sql, 'meter');
    expect(columns?.map((c) => `${c.name}:${c.type}`)).toEqual([
      'device:SYMBOL',
      'power:DOUBLE',
      'energy:LONG',
      'on:BOOLEAN',
      'note:VARCHAR',
      'ts:TIMESTAMP',
      'voltage:FLOAT',
      'state:SYMBOL',
    ]);
    expect(await readColumns(sql, 'no_such_table')).toBeUndefined();
  });

  it('stores a replayed row once (dedup keys) and lets the last write win', async () => {
    const writer = createWriter({ connection: qdb().connection, flushIntervalMs: 10 });
    const rows = [0, 1, 2].map((i) => ({
      table: 'meter',
      symbols: { device: 'd1' },
      columns: { power: i },
      ts: T0 + i * 1000,
    }));
    for (const r of rows) await writer.write(r);
    await writer.flush();
    for (const r of rows) await writer.write(r);
    await writer.write({ ...rows[2]!, columns: { power: 42 } });
    await writer.flush();
    await writer.close();
    await waitForWal(sql, ['meter']);
    const { rows: stored } = await sql.query<{ power: number; ts: Date }>(
      'SELECT power, ts FROM meter WHERE device = $1 ORDER BY ts',
      ['d1'],
    );
    expect(stored.map((r) => r.power)).toEqual([0, 1, 42]);
    expect(stored[0]?.ts).toEqual(new Date(T0));
  });

  it('downsamples into 1m/1h/1d materialized views with correct weighted averages', async () => {
    const layout = { table: 'sensor', symbols: ['device'], columns: [{ name: 'temp', type: 'double' as const }] };
    await ensureTable(sql, layout, { views: {} });
    const views = downsampleViews(layout);
    const { rows: mv } = await sql.query<{ view_name: string; base_table_name: string }>(
      'SELECT view_name, base_table_name FROM materialized_views() ORDER BY view_name',
    );
    expect(mv).toEqual([
      { view_name: 'sensor_1d', base_table_name: 'sensor_1h' },
      { view_name: 'sensor_1h', base_table_name: 'sensor_1m' },
      { view_name: 'sensor_1m', base_table_name: 'sensor' },
    ]);
    expect(views.map((v) => v.name)).toEqual(['sensor_1m', 'sensor_1h', 'sensor_1d']);
    // Minute 0 holds 1, 2, 3 (avg 2); minute 1 holds 10 (avg 10): the hour's average is 16 / 4 = 4, not (2 + 10) / 2.
    const writer = createWriter({ connection: qdb().connection, flushIntervalMs: 10 });
    const temps: [number, number][] = [
      [0, 1],
      [10_000, 2],
      [20_000, 3],
      [60_000, 10],
    ];
    for (const [offset, temp] of temps)
      await writer.write({ table: 'sensor', symbols: { device: 's1' }, columns: { temp }, ts: T0 + offset });
    await writer.write({ table: 'sensor', symbols: { device: 's2' }, columns: { temp: 100 }, ts: T0 });
    await writer.close();
    await waitForValue(sql, 'SELECT sum(temp_count) FROM sensor_1d WHERE device = $1', ['s1'], 4);
    const minute = await sql.query('SELECT * FROM sensor_1m WHERE device = $1 ORDER BY ts', ['s1']);
    expect(minute.rows[0]).toMatchObject({
      temp_avg: 2,
      temp_min: 1,
      temp_max: 3,
      temp_first: 1,
      temp_last: 3,
      temp_count: 3,
    });
    expect(minute.rows[1]).toMatchObject({ temp_avg: 10, temp_count: 1 });
    const hour = await sql.query('SELECT * FROM sensor_1h WHERE device = $1', ['s1']);
    expect(hour.rows).toEqual([
      {
        ts: new Date(T0),
        device: 's1',
        temp_avg: 4,
        temp_min: 1,
        temp_max: 10,
        temp_first: 1,
        temp_last: 10,
        temp_count: 4,
      },
    ]);
    const day = await sql.query('SELECT temp_avg, temp_count FROM sensor_1d WHERE device = $1', ['s1']);
    expect(day.rows).toEqual([{ temp_avg: 4, temp_count: 4 }]);
    const latest = await sql.query(
      'SELECT device, temp, ts FROM sensor LATEST ON ts PARTITION BY device ORDER BY device',
    );
    expect(latest.rows).toEqual([
      { device: 's1', temp: 10, ts: new Date(T0 + 60_000) },
      { device: 's2', temp: 100, ts: new Date(T0) },
    ]);
  });
});

describe('SQL client', () => {
  it('runs parameterised queries with typed results, values never read as SQL', async () => {
    const result = await sql.query(
      'SELECT device, power, energy, ts FROM meter WHERE device = $1 AND power > $2 ORDER BY ts',
      ['d1', 0.5],
    );
    expect(result.rows).toEqual([
      { device: 'd1', power: 1, energy: null, ts: new Date(T0 + 1000) },
      { device: 'd1', power: 42, energy: null, ts: new Date(T0 + 2000) },
    ]);
    expect(result.columns.map((c) => c.name)).toEqual(['device', 'power', 'energy', 'ts']);
    const injected = await sql.query('SELECT count() AS n FROM meter WHERE device = $1', ["d1' OR '1'='1"]);
    expect(injected.rows).toEqual([{ n: 0 }]);
    const longs = await sql.query('SELECT 9007199254740993L AS big, 42L AS small');
    expect(longs.rows).toEqual([{ big: '9007199254740993', small: 42 }]);
  });

  it('streams a large result page by page through a cursor', async () => {
    const pages: number[] = [];
    let total = 0;
    let last = 0;
    for await (const page of sql.pages<{ x: number }>('SELECT x FROM long_sequence(25000) WHERE x > $1', [10], {
      pageRows: 4000,
    })) {
      pages.push(page.rows.length);
      total += page.rows.length;
      last = page.rows.at(-1)?.x ?? last;
      expect(page.columns).toEqual([{ name: 'x', typeId: 20 }]);
    }
    expect(pages).toEqual([4000, 4000, 4000, 4000, 4000, 4000, 990]);
    expect(total).toBe(24_990);
    expect(last).toBe(25_000);
  });

  it('closes the cursor and returns the connection when the reader stops early', async () => {
    const single = createSqlClient({ connection: qdb().connection, maxConnections: 1 });
    try {
      for await (const page of single.pages('SELECT x FROM long_sequence(100000)', [], { pageRows: 100 })) {
        expect(page.index).toBe(0);
        break;
      }
      // With one pooled connection, this only works if the cursor released it.
      expect((await single.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await single.close();
    }
  });

  it("answers bad SQL with QuestDB's message and the position", async () => {
    const error = await sql.query('SELECT nope FROM meter').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuestDbSqlError);
    const e = error as QuestDbSqlError;
    expect(e.questdbMessage).toMatch(/Invalid column: nope/);
    expect(e.position).toBe(8);
    expect(e.message).toMatch(/^QuestDB: Invalid column: nope \(at character 8: SELECT >>nope FROM meter\)$/);
    await expect(sql.query('SELEC 1')).rejects.toThrow(QuestDbSqlError);
    const inCursor = (async () => {
      for await (const page of sql.pages('SELECT * FROM no_such_table')) void page;
    })();
    await expect(inCursor).rejects.toThrow(/table does not exist \[table=no_such_table\]/);
  });

  it('answers bad parameters clearly, before or from QuestDB', async () => {
    await expect(sql.query('SELECT * FROM meter WHERE device = $1 AND power > $2', ['d1'])).rejects.toThrow(
      new QuestDbParamError('the query uses $1..$2 but 1 parameter was given'),
    );
    await expect(sql.query('SELECT * FROM meter WHERE device = $1', [{ id: 1 } as never])).rejects.toThrow(
      /parameter \$1 is an object/,
    );
    await expect(sql.query('SELECT * FROM meter WHERE power > $1', ['warm'])).rejects.toThrow(
      /inconvertible value: `warm` \[STRING -> DOUBLE\]/,
    );
  });

  it('reports an unreachable QuestDB as such', async () => {
    const nowhere = createSqlClient({ connection: { pgPort: await freePort() }, connectTimeoutMs: 1000 });
    try {
      await expect(nowhere.query('SELECT 1')).rejects.toThrow(QuestDbUnavailableError);
      await expect(nowhere.query('SELECT 1')).rejects.toThrow(
        /cannot reach QuestDB at 127\.0\.0\.1 \(http 9000, pg \d+\): .*ECONNREFUSED/,
      );
    } finally {
      await nowhere.close();
    }
  });
});

describe('QuestDB manager', () => {
  it('writes server.conf with the chosen ports and logs QuestDB output to a file', () => {
    const db = qdb();
    const conf = readFileSync(join(db.root, 'conf', 'server.conf'), 'utf8');
    expect(conf).toContain(`http.bind.to=127.0.0.1:${db.connection.httpPort}`);
    expect(conf).toContain(`pg.net.bind.to=127.0.0.1:${db.connection.pgPort}`);
    expect(conf).toContain('line.tcp.enabled=false');
    expect(readFileSync(db.logFile, 'utf8')).toMatch(/QuestDB 9\.1\.0/);
    expect(db.logTail(5).split('\n').length).toBeLessThanOrEqual(6);
    expect(db.running).toBe(true);
  });

  it('uses an external QuestDB when given one, and says when it cannot reach it', async () => {
    const external = await connectExternalQuestDb({
      httpPort: qdb().connection.httpPort,
      pgPort: qdb().connection.pgPort,
    });
    expect(external.managed).toBeUndefined();
    await external.close();
    expect(qdb().running).toBe(true);
    const port = await freePort();
    await expect(connectExternalQuestDb({ httpPort: port, pgPort: port }, 300)).rejects.toThrow(
      new RegExp(
        `external QuestDB at 127\\.0\\.0\\.1 \\(http ${port}, pg ${port}\\) is not reachable: .*HTTP port ${port}: ECONNREFUSED`,
      ),
    );
  });
});
