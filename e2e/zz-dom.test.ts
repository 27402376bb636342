import { it } from 'vitest';
import { launchBrowser, newPage } from './support/browser.js';
import { EditorPage } from './support/editor-page.js';
import { startGridflow, ADMIN_PASSWORD } from './support/server.js';
it('dom', async () => {
  const server = await startGridflow();
  const browser = await launchBrowser();
  const { page } = await newPage(browser, server.url);
  const ed = new EditorPage(page);
  await ed.login('admin', ADMIN_PASSWORD);
  console.log(JSON.stringify(await page.evaluate(() => ['.gf-tabs', '.gf-tab', '.gf-tab-add', '.gf-tab-menu-button', '.gf-canvas', '.gf-workspace', '.react-flow'].map((s) => { const e = document.querySelector(s)!; const r = e.getBoundingClientRect(); const cs = getComputedStyle(e); return [s, Math.round(r.top), Math.round(r.height), cs.paddingBottom, cs.overflowX, (e as HTMLElement).scrollHeight, (e as HTMLElement).clientHeight]; }))));
  await browser.close();
  await server.close();
}, 120000);
