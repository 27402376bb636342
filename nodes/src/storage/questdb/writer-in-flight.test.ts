import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createWriter } from './writer.js';

/** An ILP/HTTP endpoint standing in for QuestDB: a /write holding the row v=0 answers after `slowMs`, others at once. */
async function fakeQuestDb(slowMs: number) {
  const log = { requests: 0, concurrent: 0, maxConcurrent: 0, lines: [] as string[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/settings')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ config: { 'line.proto.support.versions': [1] } }));
        return;
      }
      const body = Buffer.concat(chunks).toString();
      log.requests++;
      log.concurrent++;
      log.maxConcurrent = Math.max(log.maxConcurrent, log.concurrent);
      setTimeout(
        () => {
          log.concurrent--;
          log.lines.push(...body.trim().split('\n'));
          res.statusCode = 204;
          res.end();
        },
        / v=0 /.test(body) ? slowMs : 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { port, log, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const row = (i: number) => ({ table: 'm', symbols: { device: 'd' }, columns: { v: i }, ts: i });

describe('writer with requests in flight', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends the next batch while a slow one is in flight, and flush() waits for both', async () => {
    const q = await fakeQuestDb(1000);
    close = q.close;
    const writer = createWriter({ connection: { httpPort: q.port }, batchRows: 2, flushIntervalMs: 0 });
    // A first row loads the ILP client module, which may take a while on a cold start.
    await writer.write(row(9));
    await writer.flush();
    q.log.lines.length = 0;
    for (let i = 0; i < 4; i++) await writer.write(row(i));
    let flushed = false;
    const flushing = writer.flush().then(() => (flushed = true));
    // The second batch is stored while the first is still waiting for its answer...
    await expect.poll(() => q.log.lines.length, { timeout: 800, interval: 5 }).toBe(2);
    expect(q.log.maxConcurrent).toBe(2);
    // ...but flush() answers for every row written before it, so it waits for the first batch too.
    expect(flushed).toBe(false);
    await flushing;
    expect(q.log.lines).toHaveLength(4);
    expect(writer.stats()).toMatchObject({ written: 5, batches: 3, buffered: 0 });
    await writer.close();
  });

  it('keeps to one request at a time with maxInFlight 1', async () => {
    const q = await fakeQuestDb(200);
    close = q.close;
    const writer = createWriter({ connection: { httpPort: q.port }, batchRows: 2, flushIntervalMs: 0, maxInFlight: 1 });
    for (let i = 0; i < 6; i++) await writer.write(row(i));
    await writer.flush();
    expect(q.log).toMatchObject({ requests: 3, maxConcurrent: 1 });
    expect(q.log.lines.map((l) => l.split(' ')[1])).toEqual([0, 1, 2, 3, 4, 5].map((i) => `v=${i}`));
    await writer.close();
  });

  it('stored() sends at once when no request is out, and lets rows written meanwhile ride on the next request', async () => {
    const q = await fakeQuestDb(400);
    close = q.close;
    // Batches would otherwise wait 10 s to fill.
    const writer = createWriter({ connection: { httpPort: q.port }, batchRows: 100, flushIntervalMs: 10_000 });
    await writer.write(row(9));
    await writer.flush();
    await expect(writer.stored()).resolves.toBeUndefined(); // nothing pending: at once
    const before = q.log.requests;
    const done: number[] = [];
    await writer.write(row(0)); // the slow one
    const first = writer.stored().then(() => done.push(0));
    await expect.poll(() => q.log.requests, { timeout: 5000, interval: 5 }).toBe(before + 1);
    const rest: Promise<number>[] = [];
    for (const i of [1, 2, 3]) {
      await writer.write(row(i));
      rest.push(writer.stored().then(() => done.push(i)));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(q.log.requests).toBe(before + 1); // held while the first request is out
    expect(done).toEqual([]);
    await Promise.all([first, ...rest]);
    expect(done).toEqual([0, 1, 2, 3]);
    expect(q.log.requests).toBe(before + 2); // rows 1-3 in one request
    expect(q.log.lines.slice(-4).map((l) => l.split(' ')[1])).toEqual(['v=0', 'v=1', 'v=2', 'v=3']);
    await writer.close();
  });

  it('stored() answers after close() even for rows it gave up on', async () => {
    const q = await fakeQuestDb(0);
    const port = q.port;
    await q.close();
    const writer = createWriter({ connection: { httpPort: port }, flushIntervalMs: 0, retryInitialMs: 20, retryMaxMs: 40 });
    await writer.write(row(1));
    let stored = false;
    const storing = writer.stored().then(() => (stored = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(stored).toBe(false); // QuestDB is down: not stored yet
    expect(await writer.close({ timeoutMs: 50 })).toEqual({ unsent: 1 });
    await storing;
  });
});
