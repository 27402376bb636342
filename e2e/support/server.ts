import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, createServer, silentLogger } from '../../server/src/index.js';
import { editorDist } from './paths.js';

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The real Gridflow server, composed from its sources, on a free port with a fresh data directory. */
export async function startGridflow(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-e2e-'));
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    editorDir: editorDist,
    logLevel: 'warn',
    // Tests log in several times a minute; keep the rate limit out of their way.
    login: { maxFailures: 100, windowSeconds: 60 },
  });
  const server = await createServer(config, { logger: silentLogger });
  const { url } = await server.listen();
  return {
    url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
