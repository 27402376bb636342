import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotter } from './support/browser.js';
import { eventually } from './support/editor-page.js';
import { startPagesEnv, type PagesEnv } from './pages-harness.js';

const snap = screenshotter('pages-nav');

describe('pages: navigation rail and hash routes', () => {
  let env: PagesEnv;
  beforeAll(async () => {
    env = await startPagesEnv();
  }, 240_000);
  afterAll(async () => {
    await env?.close();
  });

  it('switches between the flow canvas and the pages, keeping the canvas state', async () => {
    const { editor, page } = env;
    const id = await editor.dropNode('inject', 200, 150);
    await editor.node(id).click();
    await editor.byTestId('rail-devices').click();
    await editor.byTestId('page-devices').waitFor();
    expect(page.url()).toMatch(/#\/devices$/);
    expect(await editor.byTestId('editor').isVisible()).toBe(false);
    await snap(page, 'devices-page');

    // Delete on a page must not reach the hidden canvas's shortcuts.
    await page.keyboard.press('Delete');

    await editor.byTestId('rail-flows').click();
    await editor.byTestId('canvas').waitFor();
    await eventually(async () => expect(await editor.nodeIds()).toContain(id));
    // On the canvas the same key does delete the selected node.
    await editor.node(id).click();
    await editor.shortcut('Delete');
    await eventually(async () => expect(await editor.nodeIds()).not.toContain(id));

    // A hash typed in the address bar (or a reload) opens the page directly; Back returns.
    await page.goto(`${env.url}/#/alerts`);
    await editor.byTestId('page-alerts').waitFor();
    await page.goBack();
    await editor.byTestId('canvas').waitFor();
    await page.goto(`${env.url}/#/no-such-page`);
    await editor.byTestId('page-missing').waitFor();
  });
});
