import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
// The same measurements `npm run bench` makes (there side by side with Node-RED's editor).
import { bigFlow, describeResult, measureEditor } from '../bench/editor-measure.mjs';
import { launchBrowser, newPage, screenshotter } from './support/browser.js';
import { EditorPage, eventually } from './support/editor-page.js';
import { e2eEnv, type E2eEnv } from './support/env.js';
import { ADMIN_PASSWORD, ADMIN_USER } from './support/server.js';

const snap = screenshotter('editor-perf');
const NODES = 2000;
/** GRIDFLOW_PERF_STRICT=1: hold the targets exactly (for an idle machine). */
const STRICT = process.env['GRIDFLOW_PERF_STRICT'] === '1';


describe(`editor performance: a ${NODES}-node flow`, () => {
  let env: E2eEnv;
  let browser: Browser;
  let context: BrowserContext;
  let ed: EditorPage;

  beforeAll(async () => {
    env = await e2eEnv();
    browser = await launchBrowser();
    const opened = await newPage(browser, env.url);
    context = opened.context;
    ed = new EditorPage(opened.page);
    await ed.login(ADMIN_USER, ADMIN_PASSWORD);
    await ed.seed(bigFlow(NODES));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await env?.close();
  });

  it('opens in well under the 1.5 s target and pans and drags smoothly', async () => {
    const r = await measureEditor(ed.page, '/', 'gridflow', 20);
    console.log(`[perf] ${describeResult('gridflow', r)}`);
    await snap(ed.page, 'big-flow');
    // The targets (1.5 s, 30 fps) hold on an idle desktop; on a shared CI machine the test
    // checks for gross regressions (every node mounted, a frame per node) unless asked to be strict.
    expect(r.open.paintedMs).toBeLessThan(STRICT ? 1500 : 6000);
    expect(r.pan.fps).toBeGreaterThan(STRICT ? 30 : 12);
    expect(r.drag.fps).toBeGreaterThan(STRICT ? 30 : 12);
    // Only what is in view is mounted.
    expect(r.open.nodes).toBeLessThan(200);
  });

  it('keeps editing responsive: selecting all, moving and undoing on the big flow', async () => {
    await ed.openSidebar('node');
    const t0 = Date.now();
    await ed.shortcut('ControlOrMeta+A');
    await ed.byTestId('property-panel-multi').getByText(`${NODES} nodes selected`).waitFor({ timeout: 30_000 });
    const selectMs = Date.now() - t0;
    const t1 = Date.now();
    await ed.shortcut('Delete');
    await eventually(async () => expect(await ed.page.locator('.react-flow__node-flow').count()).toBe(0), 30_000);
    const deleteMs = Date.now() - t1;
    const t2 = Date.now();
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(
      async () => expect(await ed.page.locator('.react-flow__node-flow').count()).toBeGreaterThan(20),
      30_000,
    );
    const undoMs = Date.now() - t2;
    console.log(`[perf] select all ${selectMs} ms, delete all ${deleteMs} ms, undo ${undoMs} ms`);
    expect(Math.max(selectMs, deleteMs, undoMs)).toBeLessThan(STRICT ? 3000 : 10_000);
  }, 120_000);
});
