import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type ConfigInput } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createServer, type CreateServerOptions, type GridflowServer } from '../src/server.js';
import { testRegistry } from './test-nodes.js';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface TestServer {
  server: GridflowServer;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A real server on an ephemeral port with a fresh data directory and the test node types. */
export async function startTestServer(
  config: Partial<ConfigInput> = {},
  options: CreateServerOptions & { dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gridflow-server-'));
  const cfg = configSchema.parse({ port: 0, host: '127.0.0.1', dataDir, adminPassword: ADMIN_PASSWORD, ...config });
  const server = await createServer(cfg, { registry: testRegistry(), logger: silentLogger, ...options });
  const { url } = await server.listen();
  return {
    server,
    url,
    dataDir,
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  cookie?: string;
  token?: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }>;
  login(username: string, password: string): Promise<{ status: number; body: unknown; headers: Headers }>;
}

/** A fetch client that keeps the session cookie or sends a bearer token. */
export function client(baseUrl: string, auth: { token?: string } = {}): Client {
  const c: Client = {
    ...(auth.token ? { token: auth.token } : {}),
    async request(method, path, body, headers = {}) {
      const res = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(c.cookie ? { cookie: c.cookie } : {}),
          ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async login(username, password) {
      const res = await c.request('POST', '/api/auth/login', { username, password });
      const set = res.headers.get('set-cookie');
      if (res.status === 200 && set) c.cookie = set.split(';')[0];
      return res;
    },
  };
  return c;
}

export async function adminClient(url: string): Promise<Client> {
  const c = client(url);
  const res = await c.login('admin', ADMIN_PASSWORD);
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return c;
}

/** Creates a user with the role and returns a logged-in client for it. */
export async function userClient(url: string, admin: Client, username: string, role: 'admin' | 'editor' | 'viewer'): Promise<Client> {
  const password = `${username}-password`;
  const created = await admin.request('POST', '/api/users', { username, password, role });
  if (created.status !== 201) throw new Error(`creating ${username} failed: ${created.status} ${JSON.stringify(created.body)}`);
  const c = client(url);
  const res = await c.login(username, password);
  if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status}`);
  return c;
}

export const waitFor = async (check: () => boolean, timeoutMs = 3000, what = 'condition') => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
