import type { QuestDbConnection } from '@gridflow/nodes/storage';

/** One probe of each interface Gridflow uses: HTTP (REST, ILP) and the PostgreSQL wire. Throws what failed. */
export async function probeQuestDb(c: QuestDbConnection, timeoutMs = 2000): Promise<void> {
  const scheme = c.tls ? 'https' : 'http';
  const auth = c.user
    ? { authorization: `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` }
    : undefined;
  let res: Response;
  try {
    res = await fetch(`${scheme}://${c.host}:${c.httpPort}/exec?query=SELECT%201`, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(auth ? { headers: auth } : {}),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`HTTP port ${c.httpPort}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP port ${c.httpPort} answered ${res.status}`);

  const pg = (await import('pg')).default;
  const client = new pg.Client({
    host: c.host,
    port: c.pgPort,
    user: c.user,
    password: c.password,
    database: c.database,
    ssl: c.tls ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: timeoutMs,
  });
  // A connection QuestDB drops while starting must not surface as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new Error(`PostgreSQL wire port ${c.pgPort}: ${e.message || e.code || String(err)}`);
  } finally {
    await client.end().catch(() => undefined); // already closed: nothing to release
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked between probes; an error returned here stops the wait (the process exited, say). */
  stopIf?: () => Error | undefined;
}

/** Probes until QuestDB answers on both interfaces; rejects with the last failure after the timeout. */
export async function waitForQuestDb(c: QuestDbConnection, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const stop = options.stopIf?.();
    if (stop) throw stop;
    try {
      await probeQuestDb(c, Math.min(2000, Math.max(200, deadline - Date.now())));
      return;
    } catch (err) {
      last = (err as Error).message;
    }
    const stopped = options.stopIf?.();
    if (stopped) throw stopped;
    if (Date.now() >= deadline) {
      throw new Error(`QuestDB at ${c.host} did not answer within ${Math.round(options.timeoutMs / 1000)} s: ${last}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
