import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newPage } from './browser.js';
import { EditorPage } from './editor-page.js';
import { e2eEnv, type E2eEnv } from './env.js';
import { ADMIN_PASSWORD, ADMIN_USER } from './server.js';

export interface SeededEditor {
  env: E2eEnv;
  browser: Browser;
  context: BrowserContext;
  ed: EditorPage;
  close(): Promise<void>;
}

/** A server, Chromium and the editor logged in as admin with `flow` deployed: what each editor suite starts from. */
export async function openSeededEditor(
  flow: unknown[],
  options: { acceptDialogs?: boolean } = {},
): Promise<SeededEditor> {
  const env = await e2eEnv();
  const browser = await launchBrowser();
  const { context, page } = await newPage(browser, env.url);
  const ed = new EditorPage(page);
  // Confirmations (deleting a tab with nodes, ...) are answered yes.
  if (options.acceptDialogs) page.on('dialog', (d) => void d.accept());
  await ed.login(ADMIN_USER, ADMIN_PASSWORD);
  await ed.seed(flow);
  return {
    env,
    browser,
    context,
    ed,
    async close() {
      await context.close();
      await browser.close();
      await env.close();
    },
  };
}
