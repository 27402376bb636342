import { it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, createServer, silentLogger } from '../server/src/index.js';
import { bigFlow } from '../bench/editor-measure.mjs';
import { launchBrowser, newPage } from './support/browser.js';
import { EditorPage } from './support/editor-page.js';

it('profile', async () => {
  const config = configSchema.parse({ port: 0, host: '127.0.0.1', dataDir: mkdtempSync(join(tmpdir(), 'gfprof-')), adminPassword: 'e2e-admin-password', editorDir: '/tmp/editor-prof', logLevel: 'warn' });
  const server = await createServer(config, { logger: silentLogger });
  const { url } = await server.listen();
  const browser = await launchBrowser();
  const { page } = await newPage(browser, url);
  const ed = new EditorPage(page);
  await ed.login('admin', 'e2e-admin-password');
  await ed.seed(bigFlow(2000));
  await page.addInitScript(() => {
    const w = window as unknown as { __log: [string, number][] };
    w.__log = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__log.push([`long ${Math.round(e.duration)}`, Math.round(e.startTime)]); }).observe({ type: 'longtask', buffered: true });
    const mo = new MutationObserver(() => {
      const n = document.querySelectorAll('.react-flow__node-flow').length;
      const c = document.querySelectorAll('.react-flow').length;
      const last = w.__log[w.__log.length - 1];
      const key = `nodes ${n} rf ${c}`;
      if (!last || last[0] !== key) w.__log.push([key, Math.round(performance.now())]);
    });
    document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, { childList: true, subtree: true }));
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node-flow').length >= 20, undefined, { timeout: 60000, polling: 'raf' });
  await page.waitForTimeout(1000);
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  const box = (await page.locator('.react-flow__node-flow').nth(45).boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 10);
  await page.mouse.down();
  for (let i = 0; i < 100; i++) await page.mouse.move(box.x + 20 + i * 2, box.y + 10 + (i % 20) * 3);
  await page.mouse.up();
  console.log('open ms', Date.now() - t0);
  console.log(JSON.stringify(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.split('/').slice(-2).join('/'), Math.round(e.startTime), Math.round(e.duration)]))));
  console.log(JSON.stringify(await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming; return [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd]; })));
  await page.waitForTimeout(1500);
  console.log(JSON.stringify(await page.evaluate(() => (window as unknown as { __log: unknown }).__log)));
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const seen = new Set<string>();
    let cur: number | undefined = id;
    while (cur !== undefined) {
      const n = byId.get(cur)!;
      const key = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`;
      if (!seen.has(key)) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + (dt[i] ?? 0) / 1000); }
      cur = parent.get(cur);
    }
  });
  console.log('INCL\n' + [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 70).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
  await browser.close();
  await server.close();
}, 120000);
