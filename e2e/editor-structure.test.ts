import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotter } from './support/browser.js';
import { EditorPage, eventually } from './support/editor-page.js';
import { debugNode, injectNode } from './support/node-red-nodes.js';
import { openSeededEditor, type SeededEditor } from './support/seeded-editor.js';

const snap = screenshotter('editor-structure');

const TAB = '5eed000000000001';
const [INJECT, CHANGE, DEBUG, QDB_A, QDB_B, CONF, UNUSED] = [
  '5eed0000000000a1',
  '5eed0000000000a2',
  '5eed0000000000a3',
  '5eed0000000000a4',
  '5eed0000000000a5',
  '5eed0000000000c1',
  '5eed0000000000c2',
];
/** inject 4 → change (payload × 10) → debug; two QuestDB writers sharing one config node; an unused config node. */
const FLOW = [
  { id: TAB, type: 'tab', label: 'Main', disabled: false, info: '' },
  injectNode({ id: INJECT, z: TAB, name: 'four', payload: '4', payloadType: 'num', x: 140, y: 100, wires: [[CHANGE]] }),
  {
    id: CHANGE,
    type: 'change',
    z: TAB,
    name: 'times ten',
    rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'payload * 10', tot: 'jsonata' }],
    x: 340,
    y: 100,
    wires: [[DEBUG]],
  },
  debugNode({ id: DEBUG, z: TAB, name: 'result', x: 540, y: 100 }),
  {
    id: QDB_A,
    type: 'questdb out',
    z: TAB,
    name: 'writer a',
    questdb: CONF,
    table: 'a',
    symbols: [],
    columns: [],
    timestamp: '',
    createTable: true,
    downsample: false,
    x: 140,
    y: 260,
    wires: [],
  },
  {
    id: QDB_B,
    type: 'questdb out',
    z: TAB,
    name: 'writer b',
    questdb: CONF,
    table: 'b',
    symbols: [],
    columns: [],
    timestamp: '',
    createTable: true,
    downsample: false,
    x: 340,
    y: 260,
    wires: [],
  },
  {
    id: CONF,
    type: 'questdb-config',
    name: 'plant db',
    host: '127.0.0.1',
    httpPort: 9000,
    pgPort: 8812,
    user: 'admin',
    password: 'quest',
    tls: false,
  },
  {
    id: UNUSED,
    type: 'questdb-config',
    name: 'spare db',
    host: '127.0.0.1',
    httpPort: 9000,
    pgPort: 8812,
    user: 'admin',
    password: 'quest',
    tls: false,
  },
];

describe('editor structure: tabs, subflows, groups, config nodes', () => {
  let ed: EditorPage;

  const tabLabels = async (): Promise<string[]> =>
    ed
      .byTestId('tab-bar')
      .locator('[data-testid^="tab-"][data-label]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label') ?? ''));

  let seeded: SeededEditor | undefined;
  beforeAll(async () => {
    seeded = await openSeededEditor(FLOW, { acceptDialogs: true });
    ({ ed } = seeded);
  });

  afterAll(async () => {
    await seeded?.close();
  });

  it('adds, renames, reorders, disables and deletes tabs', async () => {
    expect(await tabLabels()).toEqual(['Main']);
    await ed.byTestId('tab-add').click();
    await eventually(async () => expect(await tabLabels()).toEqual(['Main', 'Flow 2']));
    expect((await ed.nodeIds()).length).toBe(0);

    // Rename by double-click, and from the tab's menu.
    await ed.byTestId('tab-bar').locator('[data-label="Flow 2"]').dblclick();
    await ed.byTestId('tab-rename-input').fill('Second');
    await ed.page.keyboard.press('Enter');
    await eventually(async () => expect(await tabLabels()).toEqual(['Main', 'Second']));
    await ed.byTestId('tab-menu').click();
    await ed.byTestId('tab-rename').click();
    await ed.byTestId('tab-rename-input').fill('Spare');
    await ed.page.keyboard.press('Enter');
    await eventually(async () => expect(await tabLabels()).toEqual(['Main', 'Spare']));

    // Reorder by dragging a tab onto another.
    await ed
      .byTestId('tab-bar')
      .locator('[data-label="Spare"]')
      .dragTo(ed.byTestId('tab-bar').locator('[data-label="Main"]'));
    await eventually(async () => expect(await tabLabels()).toEqual(['Spare', 'Main']));

    await ed.byTestId('tab-menu').click();
    await ed.byTestId('tab-toggle-disabled').click();
    await eventually(async () =>
      expect(await ed.byTestId('tab-bar').locator('[data-label="Spare"]').getAttribute('class')).toContain('disabled'),
    );
    await snap(ed.page, 'tabs');
    await ed.deploy();
    const { body } = await ed.api('GET', '/api/flows');
    const spare = (body as { flows: { type: string; label?: string; disabled?: boolean }[] }).flows.find(
      (n) => n.label === 'Spare',
    );
    expect(spare).toMatchObject({ type: 'tab', disabled: true });

    await ed.byTestId('tab-menu').click();
    await ed.byTestId('tab-delete').click();
    await eventually(async () => expect(await tabLabels()).toEqual(['Main']));
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(await tabLabels()).toEqual(['Spare', 'Main']));
    await ed.shortcut('ControlOrMeta+Y');
    await eventually(async () => expect(await tabLabels()).toEqual(['Main']));
    await ed.openTab('Main');
    await eventually(async () => expect(await ed.nodeIds()).toContain(CHANGE));
  });

  it('makes a subflow from a selection, edits it, uses it from the palette and runs it', async () => {
    await ed.node(CHANGE).click({ button: 'right' });
    await ed.byTestId('menu-subflow').click();
    await eventually(async () => expect(await ed.node(CHANGE).count()).toBe(0));
    const instance =
      (await ed.page.locator('.react-flow__node [data-node-type^="subflow:"]').getAttribute('data-testid'))?.replace(
        'node-',
        '',
      ) ?? '';
    const type = (await ed.node(instance).getAttribute('data-node-type')) ?? '';
    expect(type).toMatch(/^subflow:/);
    // The instance took the node's place in the wiring.
    expect(await ed.edgeCount()).toBe(2);
    await ed.byTestId(`palette-node-${type}`).waitFor();
    await snap(ed.page, 'subflow-instance');

    // Edit: the definition opens as its own tab, with its input and output ports.
    await ed.select(instance);
    await ed.byTestId('edit-subflow').click();
    await ed.byTestId(`subflow-tab-${type.slice(8)}`).waitFor();
    await eventually(async () => expect(await ed.nodeIds('change')).toEqual([CHANGE]));
    expect(await ed.page.locator('.react-flow__node-port').count()).toBe(2);
    await ed.page.locator('.react-flow__pane').click({ position: { x: 600, y: 500 } });
    await ed.openSidebar('node');
    await ed.byTestId('subflow-prop-name').fill('Scale by ten');
    await snap(ed.page, 'subflow-edit');
    await ed.openTab('Main');
    await eventually(async () => expect(await ed.node(instance).textContent()).toContain('Scale by ten'));

    // Use: a second instance from the palette, fed by a second inject.
    const second = await ed.dropNode(type, 300, 420);
    const inject2 = await ed.dropNode('inject', 80, 420);
    const debug2 = await ed.dropNode('debug', 520, 420);
    await ed.wire(inject2, second);
    await ed.wire(second, debug2);
    await eventually(async () => expect(await ed.edgeCount()).toBe(4));
    await ed.select(inject2);
    await ed.byTestId('prop-payload-type').selectOption('num');
    await ed.byTestId('prop-payload').fill('7');
    await ed.deploy();
    await ed.openSidebar('debug');
    await ed.byTestId('debug-clear').click();
    await ed.byTestId(`inject-${INJECT}`).click();
    await ed.byTestId(`inject-${inject2}`).click();
    await eventually(async () => {
      const texts = await ed.byTestId('debug-message').allTextContents();
      expect(texts.some((t) => t.includes('40'))).toBe(true);
      expect(texts.some((t) => t.includes('70'))).toBe(true);
    });
    await snap(ed.page, 'subflow-ran');
  });

  it('groups nodes, names the group, moves it with its members and ungroups', async () => {
    await ed.node(QDB_A).click();
    await ed.node(QDB_B).click({ modifiers: ['Shift'] });
    await ed.shortcut('ControlOrMeta+Shift+G');
    const group = ed.page.locator('[data-testid^="group-"]');
    await group.waitFor();
    const groupId = ((await group.getAttribute('data-testid')) ?? '').replace('group-', '');
    const gbox = await group.boundingBox();
    const abox = await ed.node(QDB_A).boundingBox();
    const bbox = await ed.node(QDB_B).boundingBox();
    if (!gbox || !abox || !bbox) throw new Error('group or members not visible');
    for (const m of [abox, bbox]) {
      expect(m.x).toBeGreaterThan(gbox.x);
      expect(m.x + m.width).toBeLessThan(gbox.x + gbox.width);
    }
    await ed.page.mouse.click(gbox.x + 6, gbox.y + 6);
    await ed.openSidebar('node');
    await ed.byTestId('prop-name').fill('Writers');
    await eventually(async () => expect(await group.textContent()).toContain('Writers'));

    await ed.drag({ x: gbox.x + 6, y: gbox.y + 6 }, { x: gbox.x + 6, y: gbox.y + 126 });
    await eventually(async () => {
      const moved = await ed.node(QDB_A).boundingBox();
      expect((moved?.y ?? 0) - abox.y).toBeGreaterThan(80);
    });
    await snap(ed.page, 'group');

    await ed.page.mouse.click(gbox.x + 6, gbox.y + 126);
    await ed.shortcut('ControlOrMeta+Shift+U');
    await eventually(async () => expect(await ed.byTestId(`group-${groupId}`).count()).toBe(0));
    expect(await ed.nodeIds('questdb out')).toEqual(expect.arrayContaining([QDB_A, QDB_B]));
  });

  it('lists config nodes with their users and edits references from the property panel', async () => {
    await ed.openSidebar('config');
    await ed.byTestId(`config-node-${CONF}`).waitFor();
    expect(await ed.byTestId(`config-users-${CONF}`).textContent()).toBe('2');
    expect(await ed.byTestId(`config-users-${UNUSED}`).textContent()).toBe('0');
    await ed.byTestId(`config-node-${CONF}`).getByText('plant db').click();
    await ed.byTestId(`config-node-${CONF}`).getByText('writer a').waitFor();
    await ed.byTestId(`config-node-${CONF}`).getByText('writer b').waitFor();
    await snap(ed.page, 'config-sidebar');

    // Point writer b at the spare config node: the counts follow.
    await ed.select(QDB_B);
    const ref = ed.byTestId('prop-questdb');
    expect(await ref.inputValue()).toBe(CONF);
    await ref.selectOption(UNUSED);
    await ed.openSidebar('config');
    await eventually(async () => expect(await ed.byTestId(`config-users-${UNUSED}`).textContent()).toBe('1'));
    expect(await ed.byTestId(`config-users-${CONF}`).textContent()).toBe('1');

    // Add a new config node from the sidebar; it opens in the property panel.
    await ed.byTestId('config-add').selectOption('questdb-config');
    await ed.byTestId('property-panel').waitFor();
    expect(await ed.byTestId('property-panel').getAttribute('data-node-id')).toBeTruthy();
    await ed.openSidebar('config');
    expect(await ed.page.locator('[data-testid^="config-node-"]').count()).toBe(3);
  });
});
