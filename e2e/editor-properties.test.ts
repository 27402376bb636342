import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newPage, screenshotter } from './support/browser.js';
import { EditorPage, eventually } from './support/editor-page.js';
import { debugNode, injectNode } from './support/node-red-nodes.js';
import { e2eEnv, type E2eEnv } from './support/env.js';
import { ADMIN_PASSWORD, ADMIN_USER } from './support/server.js';

const snap = screenshotter('editor-properties');

const TAB = 'b0b0000000000001';
const [INJECT, WINDOW, FN, DEBUG, QDB, CONF] = [
  'b0b00000000000a1',
  'b0b00000000000a2',
  'b0b00000000000a3',
  'b0b00000000000a4',
  'b0b00000000000a5',
  'b0b00000000000c1',
];
const FLOW = [
  { id: TAB, type: 'tab', label: 'Props', disabled: false, info: '' },
  injectNode({ id: INJECT, z: TAB, name: 'go', payload: '1', payloadType: 'num', x: 120, y: 80, wires: [[FN]] }),
  {
    id: WINDOW,
    type: 'window',
    z: TAB,
    name: 'per minute',
    kind: 'tumbling',
    by: 'time',
    size: 60,
    units: 'seconds',
    time: 'arrival',
    timeProperty: 'timestamp',
    key: 'topic',
    keyType: 'msg',
    lateness: 0,
    idleTimeout: 0,
    emitEmpty: false,
    maxEmpty: 10,
    maxKeys: 1000,
    x: 120,
    y: 200,
    wires: [[], []],
  },
  {
    id: FN,
    type: 'function',
    z: TAB,
    name: 'double',
    func: 'msg.payload = msg.payload * 2;\nreturn msg;',
    outputs: 1,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    x: 320,
    y: 80,
    wires: [[DEBUG]],
  },
  debugNode({ id: DEBUG, z: TAB, name: 'seen', x: 520, y: 80 }),
  {
    id: QDB,
    type: 'questdb out',
    z: TAB,
    name: 'store',
    questdb: CONF,
    table: 't',
    symbols: ['site'],
    columns: [],
    timestamp: '',
    createTable: true,
    downsample: false,
    x: 320,
    y: 200,
    wires: [],
  },
  {
    id: CONF,
    type: 'questdb-config',
    name: 'db',
    host: '127.0.0.1',
    httpPort: 9000,
    pgPort: 8812,
    user: 'admin',
    password: 'quest',
    tls: false,
  },
];

describe('editor properties: schema forms, validation, deploy', () => {
  let env: E2eEnv;
  let browser: Browser;
  let context: BrowserContext;
  let ed: EditorPage;
  const deployTypes: string[] = [];

  beforeAll(async () => {
    env = await e2eEnv();
    browser = await launchBrowser();
    const opened = await newPage(browser, env.url);
    context = opened.context;
    ed = new EditorPage(opened.page);
    ed.page.on('request', (req) => {
      if (req.url().endsWith('/api/deploy') && req.method() === 'POST') {
        deployTypes.push((JSON.parse(req.postData() ?? '{}') as { type?: string }).type ?? '');
      }
    });
    await ed.login(ADMIN_USER, ADMIN_PASSWORD);
    await ed.seed(FLOW);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await env?.close();
  });

  it('builds the form from the schema: text, number, boolean, select, JSON, config reference', async () => {
    await ed.select(WINDOW);
    const row = (key: string) => ed.byTestId(`row-prop-${key}`);
    expect(await row('name').getAttribute('class')).toContain('kind-text');
    expect(await row('size').getAttribute('class')).toContain('kind-number');
    expect(await row('emitEmpty').getAttribute('class')).toContain('kind-boolean');
    expect(await row('kind').getAttribute('class')).toContain('kind-select');
    expect(await ed.byTestId('prop-kind').locator('option').allTextContents()).toEqual(['tumbling', 'sliding']);
    expect(await ed.byTestId('prop-size').inputValue()).toBe('60');
    // Labels are readable words, not property names.
    expect(await row('idleTimeout').locator('label').textContent()).toBe('Idle timeout');
    await ed.byTestId('prop-kind').selectOption({ label: 'sliding' });
    await ed.byTestId('prop-slide').fill('10');
    await ed.byTestId('prop-emitEmpty').check();
    await ed.byTestId('prop-name').fill('sliding minute');
    await eventually(async () => expect(await ed.node(WINDOW).textContent()).toContain('sliding minute'));
    await snap(ed.page, 'window-form');

    await ed.select(QDB);
    expect(await row('symbols').getAttribute('class')).toContain('kind-json');
    expect(JSON.parse(await ed.byTestId('prop-symbols').inputValue())).toEqual(['site']);
    await ed.byTestId('prop-symbols').fill('["site", "line"');
    await ed.byTestId('row-prop-symbols').locator('.gf-field-error').waitFor();
    await ed.byTestId('prop-symbols').fill('["site", "line"]');
    await ed.byTestId('row-prop-symbols').locator('.gf-field-error').waitFor({ state: 'detached' });
    expect(await row('questdb').getAttribute('class')).toContain('kind-config');
    expect(await ed.byTestId('prop-questdb').inputValue()).toBe(CONF);
  });

  it('edits the function in a JavaScript code editor with highlighting', async () => {
    await ed.select(FN);
    const editor = ed.byTestId('prop-func').locator('.cm-editor');
    await editor.waitFor();
    expect(await ed.byTestId('prop-func').locator('.cm-lineNumbers').count()).toBe(1);
    await ed.setCode('prop-func', '// triple it\nconst factor = 3;\nmsg.payload = msg.payload * factor;\nreturn msg;');
    // Highlighting: the keyword, the comment and the number are drawn in different colours.
    const colourOf = async (text: string): Promise<string> =>
      ed
        .byTestId('prop-func')
        .locator('.cm-line span', { hasText: text })
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    const colours = new Set([await colourOf('const'), await colourOf('// triple it'), await colourOf('3')]);
    expect(colours.size).toBe(3);
    await snap(ed.page, 'code-editor');
  });

  it("offers Node-RED's typed input and shows invalid properties on the node and in the panel before deploy", async () => {
    await ed.select(INJECT);
    const types = await ed
      .byTestId('prop-payload-type')
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(types).toEqual(
      expect.arrayContaining(['msg', 'flow', 'global', 'str', 'num', 'bool', 'json', 'env', 'jsonata']),
    );

    await ed.byTestId('prop-payload').fill('twelve');
    await ed.byTestId(`node-invalid-${INJECT}`).waitFor();
    await ed.byTestId('problem-prop-payload').waitFor();
    expect(await ed.byTestId('panel-problems').textContent()).toContain('payload');
    await ed.byTestId('prop-payload-type').selectOption('json');
    await ed.byTestId('prop-payload').fill('{"a": ');
    await ed.byTestId(`node-invalid-${INJECT}`).waitFor();
    await ed.byTestId('prop-payload').fill('{"a": {"b": [1, 2]}}');
    await ed.byTestId(`node-invalid-${INJECT}`).waitFor({ state: 'detached' });

    // A schema rule: a window's size must be positive.
    await ed.select(WINDOW);
    await ed.byTestId('prop-size').fill('-5');
    await ed.byTestId(`node-invalid-${WINDOW}`).waitFor();
    await ed.byTestId('problem-prop-size').waitFor();
    await snap(ed.page, 'invalid-property');
    await ed.byTestId('prop-size').fill('30');
    await ed.byTestId(`node-invalid-${WINDOW}`).waitFor({ state: 'detached' });
  });

  it('counts changed nodes, deploys with each of the three types and clears the indicator', async () => {
    const count = Number(await ed.byTestId('changed-count').textContent());
    expect(count).toBe(4);
    expect(await ed.node(FN).locator('.gf-changed').count()).toBe(1);
    expect(await ed.node(DEBUG).locator('.gf-changed').count()).toBe(0);

    await ed.byTestId('deploy-type-toggle').click();
    await ed.byTestId('deploy-type-nodes').click();
    await ed.deploy();
    await eventually(async () => expect(await ed.byTestId('changed-count').count()).toBe(0));
    expect(await ed.node(FN).locator('.gf-changed').count()).toBe(0);

    await ed.openSidebar('debug');
    await ed.byTestId('debug-clear').click();
    await ed.byTestId(`inject-${INJECT}`).click();
    // The JSON payload {"a":{"b":[1,2]}} times three is NaN: the new function code is running.
    await ed.byTestId('debug-message').filter({ hasText: 'NaN' }).first().waitFor();

    await ed.select(DEBUG);
    await ed.byTestId('prop-name').fill('seen it');
    await ed.byTestId('deploy-type-toggle').click();
    await ed.byTestId('deploy-type-flows').click();
    await ed.deploy();
    await ed.byTestId('deploy-type-toggle').click();
    await ed.byTestId('deploy-type-full').click();
    await ed.shortcut('ControlOrMeta+D');
    await ed.byTestId('notice-success').filter({ hasText: 'Deployed' }).first().waitFor();
    expect(deployTypes.slice(-3)).toEqual(['nodes', 'flows', 'full']);
    const { body } = await ed.api('GET', '/api/versions');
    expect((body as { versions: { type: string }[] }).versions.slice(0, 3).map((v) => v.type)).toEqual([
      'full',
      'flows',
      'nodes',
    ]);
  });

  it("shows the server's deploy errors next to the nodes they concern", async () => {
    await ed.select(FN);
    await ed.setCode('prop-func', 'return msg;;; }}');
    await ed.deploy().catch(() => undefined);
    await ed.byTestId('notice-error').first().waitFor();
    await ed.byTestId(`node-invalid-${FN}`).waitFor();
    const title = (await ed.byTestId(`node-invalid-${FN}`).getAttribute('title')) ?? '';
    expect(title.length).toBeGreaterThan(0);
    await ed.openSidebar('node');
    const problems = ed.byTestId('panel-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toContain('(server)');
    await snap(ed.page, 'server-error');
    // Editing the node clears the server's verdict on it until the next deploy.
    await ed.setCode('prop-func', 'return msg;');
    await ed.byTestId(`node-invalid-${FN}`).waitFor({ state: 'detached' });
    await ed.deploy();
  });
});
