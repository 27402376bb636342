import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { InvalidRowError } from './row.js';
import { createWriter, WriterClosedError } from './writer.js';

/** A port with nothing listening: every request is refused, as when QuestDB is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const row = (i: number) => ({ table: 'm', symbols: { device: 'd' }, columns: { v: i }, ts: i });

describe('writer without QuestDB', () => {
  it('holds back writers when the buffer is full, says so, and frees them with an error on close', async () => {
    const port = await closedPort();
    const writer = createWriter({
      connection: { httpPort: port },
      maxBufferedRows: 10,
      batchRows: 5,
      flushIntervalMs: 0,
      retryInitialMs: 20,
      retryMaxMs: 50,
    });
    const pauses: boolean[] = [];
    writer.onPausedChange((p) => pauses.push(p));
    for (let i = 0; i < 10; i++) await writer.write(row(i));
    expect(writer.paused).toBe(true);
    let eleventh: 'waiting' | 'accepted' | 'refused' = 'waiting';
    const blocked = writer.write(row(10)).then(
      () => (eleventh = 'accepted'),
      (err: unknown) => (eleventh = err instanceof WriterClosedError ? 'refused' : 'accepted'),
    );
    expect(writer.tryWrite(row(11))).toBe(false);
    // The first attempt loads the ILP client module, which may take a while on a cold start.
    await vi.waitFor(() => expect(writer.stats().retried).toBeGreaterThan(1), { timeout: 10_000, interval: 20 });
    expect(eleventh).toBe('waiting');
    const stats = writer.stats();
    expect(stats).toMatchObject({ buffered: 10, written: 0, state: 'retrying' });
    expect(stats.retried).toBeGreaterThan(1);
    expect(stats.lastError).toMatch(/ECONNREFUSED|cannot open/);

    const closed = await writer.close({ timeoutMs: 200 });
    await blocked;
    expect(eleventh).toBe('refused');
    expect(closed.unsent).toBe(10);
    expect(writer.stats()).toMatchObject({ unsent: 10, state: 'closed' });
    expect(pauses).toEqual([true, false]); // paused while full, resumed once close() gave the rows up
    await expect(writer.write(row(12))).rejects.toBeInstanceOf(WriterClosedError);
  });

  it('refuses invalid rows at write(), before buffering them', async () => {
    const writer = createWriter({ connection: { httpPort: await closedPort() } });
    await expect(writer.write({ table: 'm', columns: { n: 0.5 }, types: { n: 'long' } })).rejects.toBeInstanceOf(
      InvalidRowError,
    );
    expect(() => writer.tryWrite({ table: 'no such', columns: { v: 1 } })).toThrow(InvalidRowError);
    expect(writer.stats().buffered).toBe(0);
    expect(await writer.close({ timeoutMs: 10 })).toEqual({ unsent: 0 });
  });

  it('flush() resolves at once when nothing is buffered', async () => {
    const writer = createWriter({ connection: { httpPort: await closedPort() } });
    await writer.flush();
    await writer.close({ timeoutMs: 10 });
  });
});
