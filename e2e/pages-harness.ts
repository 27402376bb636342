import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DeviceHub } from '@gridflow/nodes/device';
import { alertsModule } from '../server/src/alerts/alerts-module.js';
import { devicesModule } from '../server/src/devices/index.js';
import { configSchema, createServer, silentLogger, type Config, type ConfigInput, type ServerModule } from '../server/src/index.js';
import { jobsModule } from '../server/src/jobs/jobs-module.js';
import { defaultModules } from '../server/src/modules.js';
import { questdbModule } from '../server/src/questdb/questdb-module.js';
import { launchBrowser, newPage } from './support/browser.js';
import { ensureEditorBuilt } from './support/build-editor.js';
import { EditorPage } from './support/editor-page.js';
import { ADMIN_PASSWORD, ADMIN_USER } from './support/server.js';

/**
 * The pages' e2e tests need the server's modules (devices, storage, jobs, alerts), which the
 * shared e2e server does not load: each pages file starts its own server with `defaultModules`,
 * free ports everywhere, and its own Chromium, signed in.
 */
export interface PagesEnv {
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  editor: EditorPage;
  /** fetch against the server, signed in as the admin (for arranging data). */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The server's default modules, plus those the pages need that are not wired into the defaults
 * (yet): alerts, jobs, and with `questdb` a QuestDB of its own (free ports) fed by the device hub.
 */
function pagesModules(config: Config, withQuestDb: boolean): ServerModule[] {
  let modules = defaultModules(config);
  const has = (name: string) => modules.some((m) => m.name === name);
  if (!has('alerts')) modules.push(alertsModule());
  if (!has('jobs')) modules.push(jobsModule());
  if (withQuestDb && !has('questdb')) {
    let hub: DeviceHub | undefined;
    const devices = devicesModule({ mqttPort: 0, mqttHost: '127.0.0.1', onStarted: (info) => (hub = info.hub) });
    modules = modules.map((m) => (m.name === 'devices' ? devices : m));
    modules.push(questdbModule({ questdb: { httpPort: 0, pgPort: 0, heapMb: 256 }, deviceHub: () => hub, writer: { flushIntervalMs: 100 } }));
  }
  return modules;
}

export interface PagesEnvOptions {
  /** Start a QuestDB for the storage, time-series and SQL routes (takes some seconds). */
  questdb?: boolean;
  config?: Partial<ConfigInput>;
}

/** Allow 240 s for the beforeAll that calls this: it may build the editor, or wait for another file building it. */
export async function startPagesEnv(options: PagesEnvOptions = {}): Promise<PagesEnv> {
  await ensureEditorBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-e2e-pages-'));
  const config = configSchema.parse({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    editorDir: join(import.meta.dirname, '..', 'editor', 'dist'),
    logLevel: 'warn',
    login: { maxFailures: 100, windowSeconds: 60 },
    devices: { mqttPort: 0, mqttHost: '127.0.0.1' },
    questdb: { enabled: options.questdb ?? false, httpPort: 0, pgPort: 0, heapMb: 256 },
    ...options.config,
  });
  const server = await createServer(config, { ...(process.env.E2E_SERVER_LOG ? {} : { logger: silentLogger }), modules: pagesModules(config, options.questdb ?? false) });
  const { url } = await server.listen();
  const stopServer = async (): Promise<void> => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await stopServer();
    throw err;
  }
  const { context, page } = await newPage(browser, url);
  const editor = new EditorPage(page);
  try {
    await editor.login(ADMIN_USER, ADMIN_PASSWORD);
  } catch (err) {
    // A failed start must not leave a server, a QuestDB or a browser behind.
    await browser.close().catch(() => undefined);
    await stopServer();
    throw err;
  }
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  return {
    url,
    browser,
    context,
    page,
    editor,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { cookie, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }),
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stopServer();
    },
  };
}
