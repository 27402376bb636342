import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newPage, screenshotter } from './support/browser.js';
import { EditorPage, eventually, resetFlows } from './support/editor-page.js';
import { debugNode, injectNode } from './support/node-red-nodes.js';
import { e2eEnv, type E2eEnv } from './support/env.js';
import { ADMIN_PASSWORD, ADMIN_USER } from './support/server.js';

const snap = screenshotter('editor-core');

/** A Node-RED 4 export: a tab with inject → change → debug, as Node-RED's "Export" writes it. */
const NODE_RED_EXPORT = [
  { id: 'a1b2c3d4e5f60718', type: 'tab', label: 'From Node-RED', disabled: false, info: '', env: [] },
  injectNode({
    id: '1111aaaa2222bbbb',
    z: 'a1b2c3d4e5f60718',
    name: 'tick',
    props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
    payload: '21',
    payloadType: 'num',
    x: 140,
    y: 80,
    wires: [['3333cccc4444dddd']],
  }),
  {
    id: '3333cccc4444dddd',
    type: 'change',
    z: 'a1b2c3d4e5f60718',
    name: 'double',
    rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'payload * 2', tot: 'jsonata' }],
    action: '',
    property: '',
    from: '',
    to: '',
    reg: false,
    x: 320,
    y: 80,
    wires: [['5555eeee6666ffff']],
  },
  debugNode({ id: '5555eeee6666ffff', z: 'a1b2c3d4e5f60718', name: 'show', x: 500, y: 80 }),
];

describe('editor: build, deploy and debug a flow', () => {
  let env: E2eEnv;
  let browser: Browser;
  let context: BrowserContext;
  let ed: EditorPage;

  beforeAll(async () => {
    env = await e2eEnv();
    await resetFlows(env.url, ADMIN_USER, ADMIN_PASSWORD, [
      { id: 'e2ec0re000000001', type: 'tab', label: 'Flow 1', disabled: false, info: '' },
    ]);
    browser = await launchBrowser();
    const opened = await newPage(browser, env.url);
    context = opened.context;
    ed = new EditorPage(opened.page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await env?.close();
  });

  it('logs in', async () => {
    await ed.page.goto('/');
    await ed.byTestId('login-page').waitFor();
    await snap(ed.page, 'login');
    await ed.byTestId('login-username').fill(ADMIN_USER);
    await ed.byTestId('login-password').fill('wrong-password');
    await ed.byTestId('login-submit').click();
    await ed.byTestId('login-error').waitFor();
    await ed.login(ADMIN_USER, ADMIN_PASSWORD);
    expect(await ed.byTestId('user').textContent()).toContain('admin');
    for (const category of ['core', 'stream', 'storage']) await ed.byTestId(`palette-category-${category}`).waitFor();
    await snap(ed.page, 'editor');
  });

  it('drags inject, function and debug from the palette, wires them, sets properties, deploys and shows the message', async () => {
    const inject = await ed.dropNode('inject', 160, 160);
    const fn = await ed.dropNode('function', 420, 160);
    const debug = await ed.dropNode('debug', 680, 160);
    await ed.wire(inject, fn);
    await ed.wire(fn, debug);
    await eventually(async () => expect(await ed.edgeCount()).toBe(2));
    await snap(ed.page, 'wired');

    await ed.select(inject);
    await ed.byTestId('prop-payload-type').selectOption('str');
    await ed.byTestId('prop-payload').fill('hello');
    await ed.byTestId('prop-name').fill('say hello');
    await eventually(async () => expect(await ed.node(inject).textContent()).toContain('say hello'));

    await ed.select(fn);
    await ed.setCode('prop-func', "msg.payload = msg.payload + ' world';\nreturn msg;");
    await snap(ed.page, 'function-properties');

    expect(Number(await ed.byTestId('changed-count').textContent())).toBeGreaterThanOrEqual(3);
    await ed.deploy();
    await eventually(async () => expect(await ed.byTestId('changed-count').count()).toBe(0));

    await ed.openSidebar('debug');
    await ed.byTestId(`inject-${inject}`).click();
    const message = ed.byTestId('debug-message').filter({ hasText: 'hello world' });
    await message.first().waitFor();
    expect(await message.first().getAttribute('data-node-id')).toBe(debug);
    await snap(ed.page, 'debug-message');
  });

  it('undoes and redoes a delete and a move', async () => {
    const fn = (await ed.nodeIds('function'))[0] ?? '';
    await ed.select(fn);
    await ed.shortcut('Delete');
    await eventually(async () => expect(await ed.node(fn).count()).toBe(0));
    expect(await ed.edgeCount()).toBe(0);
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(await ed.node(fn).count()).toBe(1));
    expect(await ed.edgeCount()).toBe(2);
    await snap(ed.page, 'undo');
    await ed.shortcut('ControlOrMeta+Y');
    await eventually(async () => expect(await ed.node(fn).count()).toBe(0));
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(await ed.node(fn).count()).toBe(1));

    const box = await ed.node(fn).boundingBox();
    if (!box) throw new Error('function node not visible');
    await ed.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ed.page.mouse.down();
    await ed.page.mouse.move(box.x + box.width / 2, box.y + 150, { steps: 8 });
    await ed.page.mouse.up();
    const moved = await ed.node(fn).boundingBox();
    expect(moved && moved.y - box.y).toBeGreaterThan(100);
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(Math.abs(((await ed.node(fn).boundingBox())?.y ?? 0) - box.y)).toBeLessThan(2));
    await ed.shortcut('ControlOrMeta+Y');
    await eventually(async () => expect(((await ed.node(fn).boundingBox())?.y ?? 0) - box.y).toBeGreaterThan(100));
  });

  it('pastes a Node-RED export and draws it', async () => {
    // As Ctrl+V does: a paste event carrying the clipboard text.
    await ed.page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    }, JSON.stringify(NODE_RED_EXPORT));
    await ed.byTestId('tab-bar').getByText('From Node-RED').waitFor();
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(3));
    for (const label of ['tick', 'double', 'show'])
      await ed.page.locator('.gf-node-label', { hasText: label }).waitFor();
    expect(await ed.edgeCount()).toBe(2);
    // Pasted nodes get new ids, so pasting twice never collides.
    expect(await ed.nodeIds()).not.toContain('1111aaaa2222bbbb');
    await snap(ed.page, 'pasted-node-red-export');

    // And through the import dialog, onto the current tab.
    await ed.byTestId('open-import').click();
    await ed.byTestId('import-text').fill(JSON.stringify(NODE_RED_EXPORT.slice(1)));
    await ed.byTestId('import-confirm').click();
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(6));
    await snap(ed.page, 'imported-into-tab');
  });
});
