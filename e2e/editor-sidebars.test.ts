import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { newPage, screenshotter } from './support/browser.js';
import { EditorPage, eventually } from './support/editor-page.js';
import { debugNode, injectNode } from './support/node-red-nodes.js';
import type { E2eEnv } from './support/env.js';
import { openSeededEditor, type SeededEditor } from './support/seeded-editor.js';

const snap = screenshotter('editor-sidebars');

const [TAB_A, TAB_B] = ['deb0000000000001', 'deb0000000000002'];
const [INJECT_A, DEBUG_A, INJECT_B, DEBUG_B] = [
  'deb00000000000a1',
  'deb00000000000a2',
  'deb00000000000b1',
  'deb00000000000b2',
];
const inject = (id: string, z: string, name: string, payload: string, payloadType: string, target: string) =>
  injectNode({
    id,
    z,
    name,
    props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
    payload,
    payloadType,
    topic: name,
    x: 140,
    y: 100,
    wires: [[target]],
  });
const debug = (id: string, z: string, name: string) => debugNode({ id, z, name, x: 400, y: 100 });
/** Two tabs, each inject → debug; tab A's payload is a nested object. */
const FLOW = [
  { id: TAB_A, type: 'tab', label: 'Alpha', disabled: false, info: '' },
  { id: TAB_B, type: 'tab', label: 'Beta', disabled: false, info: '' },
  inject(INJECT_A, TAB_A, 'nested', '{"site":{"lines":[{"speed":12.5},{"speed":7}]}}', 'json', DEBUG_A),
  debug(DEBUG_A, TAB_A, 'alpha out'),
  inject(INJECT_B, TAB_B, 'plain', 'beta-text', 'str', DEBUG_B),
  debug(DEBUG_B, TAB_B, 'beta out'),
];

describe('editor sidebars: debug, info, history; import and export; roles', () => {
  let env: E2eEnv;
  let browser: Browser;
  let ed: EditorPage;

  let seeded: SeededEditor | undefined;
  beforeAll(async () => {
    seeded = await openSeededEditor(FLOW, { acceptDialogs: true });
    ({ env, browser, ed } = seeded);
  });

  afterAll(async () => {
    await seeded?.close();
  });

  it('shows live debug messages as an expandable tree, copies paths and values, filters, pauses and clears', async () => {
    await ed.openSidebar('debug');
    await ed.byTestId('debug-clear').click();
    await ed.byTestId(`inject-${INJECT_A}`).click();
    const msgA = ed.page.locator(`[data-testid="debug-message"][data-node-id="${DEBUG_A}"]`);
    await msgA.first().waitFor();
    const tree = msgA.first().locator('[data-testid="json-tree"]');
    // Top level open, deeper levels folded; unfold site → lines → [0].
    expect(await tree.textContent()).toContain('site');
    expect(await tree.textContent()).not.toContain('12.5');
    await tree.locator('[data-testid="tree-toggle"]').nth(1).click();
    await tree.locator('[data-testid="tree-toggle"]').nth(2).click();
    await tree.locator('[data-testid="tree-toggle"]').nth(3).click();
    await eventually(async () => expect(await tree.textContent()).toContain('12.5'));
    const speedLine = tree.locator('.gf-tree-line', { hasText: 'speed' }).first();
    await speedLine.hover();
    await speedLine.locator('[data-testid="copy-path"]').click();
    await eventually(async () => expect(await ed.clipboard()).toBe('payload.site.lines[0].speed'));
    await speedLine.locator('[data-testid="copy-value"]').click();
    await eventually(async () => expect(await ed.clipboard()).toBe('12.5'));
    await snap(ed.page, 'debug-tree');

    // Messages from the other tab; then filter to the current flow.
    await ed.openTab('Beta');
    await ed.byTestId(`inject-${INJECT_B}`).click();
    await ed.page.locator(`[data-testid="debug-message"][data-node-id="${DEBUG_B}"]`).first().waitFor();
    expect(await ed.byTestId('debug-message').count()).toBe(2);
    await ed.byTestId('debug-filter').selectOption('tab');
    await eventually(async () => expect(await ed.byTestId('debug-message').count()).toBe(1));
    expect(await ed.byTestId('debug-message').first().getAttribute('data-node-id')).toBe(DEBUG_B);
    await ed.openTab('Alpha');
    await eventually(async () =>
      expect(await ed.byTestId('debug-message').first().getAttribute('data-node-id')).toBe(DEBUG_A),
    );
    await ed.byTestId('debug-filter').selectOption('all');

    // Pause keeps new messages out (and counts them); resume and clear.
    await ed.byTestId('debug-pause').click();
    await ed.byTestId(`inject-${INJECT_A}`).click();
    await eventually(async () => expect(await ed.byTestId('debug-pause').textContent()).toContain('1 skipped'));
    expect(await ed.byTestId('debug-message').count()).toBe(2);
    await ed.byTestId('debug-pause').click();
    await ed.byTestId(`inject-${INJECT_A}`).click();
    await eventually(async () => expect(await ed.byTestId('debug-message').count()).toBe(3));
    await ed.byTestId('debug-clear').click();
    await eventually(async () => expect(await ed.byTestId('debug-message').count()).toBe(0));
  });

  it("shows each node's help in the info sidebar", async () => {
    await ed.node(DEBUG_A).click();
    await ed.openSidebar('info');
    expect(await ed.byTestId('info-type').textContent()).toBe('debug');
    expect(((await ed.byTestId('info-help').textContent()) ?? '').length).toBeGreaterThan(40);
    await snap(ed.page, 'info');
  });

  it('lists deployed versions, diffs one against now and rolls back to it', async () => {
    // v(n): the seed. Then rename a node and delete another, deploy.
    await ed.select(INJECT_A);
    await ed.byTestId('prop-name').fill('renamed');
    await ed.node(DEBUG_A).click();
    await ed.shortcut('Delete');
    await ed.deploy();
    await ed.openSidebar('history');
    const { body } = await ed.api('GET', '/api/versions');
    const [now, before] = (body as { versions: { version: number }[] }).versions;
    if (!now || !before) throw new Error('expected two versions');
    await ed.byTestId(`version-${now.version}`).waitFor();
    await ed.byTestId(`version-diff-${before.version}`).click();
    const diff = ed.byTestId('version-diff');
    await diff.waitFor();
    expect(await diff.locator('[data-testid="diff-added"]').allTextContents()).toEqual([
      expect.stringContaining('alpha out'),
    ]);
    expect(await diff.locator('[data-testid="diff-changed"]').allTextContents()).toEqual([
      expect.stringContaining('inject'),
    ]);
    await snap(ed.page, 'version-diff');

    await ed.byTestId(`version-rollback-${before.version}`).click();
    await ed
      .byTestId('notice-success')
      .filter({ hasText: `Rolled back to version ${before.version}` })
      .waitFor();
    await eventually(async () => expect(await ed.node(DEBUG_A).count()).toBe(1));
    expect(await ed.node(INJECT_A).textContent()).toContain('nested');
    await ed.byTestId('versions-refresh').click();
    await ed
      .byTestId(`version-${now.version + 1}`)
      .getByText(`rollback to v${before.version}`)
      .waitFor();
    await snap(ed.page, 'rolled-back');
  });

  it('exports the selection, the current flow or all flows, and imports from a file', async () => {
    await ed.node(INJECT_A).click();
    await ed.shortcut('ControlOrMeta+E');
    await ed.byTestId('export-dialog').waitFor();
    const exported = async (): Promise<{ id: string; type: string }[]> =>
      JSON.parse(await ed.byTestId('export-text').inputValue()) as { id: string; type: string }[];
    expect((await exported()).map((n) => n.id)).toEqual([INJECT_A]);
    await ed.byTestId('export-scope-tab').check();
    expect((await exported()).map((n) => n.id).sort()).toEqual([TAB_A, INJECT_A, DEBUG_A].sort());
    await ed.byTestId('export-scope-all').check();
    const all = await exported();
    expect(all.map((n) => n.id).sort()).toEqual(FLOW.map((n) => n.id).sort());
    await snap(ed.page, 'export');
    await ed.byTestId('export-copy').click();
    await eventually(async () => expect(JSON.parse(await ed.clipboard())).toHaveLength(FLOW.length));
    await ed.page.keyboard.press('Escape');
    await ed.byTestId('export-dialog').waitFor({ state: 'detached' });

    // The whole export back in from a file: two new tabs beside the originals.
    await ed.byTestId('open-import').click();
    await ed
      .byTestId('import-file')
      .setInputFiles({ name: 'flows.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(all)) });
    await eventually(async () =>
      expect(await ed.byTestId('import-status').textContent()).toBe('6 nodes ready to import'),
    );
    await ed.byTestId('import-confirm').click();
    await eventually(async () => expect(await ed.byTestId('tab-bar').locator('[data-label="Alpha"]').count()).toBe(2));
    expect((await ed.nodeIds()).length).toBe(2);
    expect(await ed.nodeIds()).not.toContain(INJECT_A);

    // Bad input is refused with a reason.
    await ed.byTestId('open-import').click();
    await ed.byTestId('import-text').fill('{"not": "a flow"');
    expect(await ed.byTestId('import-confirm').isDisabled()).toBe(true);
    expect(((await ed.byTestId('import-status').textContent()) ?? '').length).toBeGreaterThan(0);
    await ed.page.keyboard.press('Escape');
  });

  it('lets a viewer look but not deploy or roll back', async () => {
    const created = await ed.api('POST', '/api/users', {
      username: 'watcher',
      password: 'watcher-password-1',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const second = await newPage(browser, env.url);
    try {
      const viewer = new EditorPage(second.page);
      await viewer.login('watcher', 'watcher-password-1');
      expect(await viewer.byTestId('user').textContent()).toContain('viewer');
      await viewer.node(INJECT_A).waitFor();
      expect(await viewer.byTestId('deploy-button').isDisabled()).toBe(true);
      expect(await viewer.byTestId('deploy-button').getAttribute('title')).toContain('may not deploy');
      await viewer.shortcut('ControlOrMeta+D');
      await viewer.byTestId('notice-error').filter({ hasText: 'may not deploy' }).waitFor();
      await viewer.openSidebar('history');
      const rollback = viewer.page.locator('[data-testid^="version-rollback-"]').first();
      await rollback.waitFor();
      expect(await rollback.isDisabled()).toBe(true);
      // The server refuses too, whatever the page does.
      const refused = await viewer.api('POST', '/api/deploy', { flows: FLOW, type: 'full' });
      expect(refused.status).toBe(403);
      await snap(viewer.page, 'viewer');
      await viewer.logout();
    } finally {
      await second.context.close();
    }
  });
});
