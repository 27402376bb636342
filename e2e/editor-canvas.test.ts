import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotter } from './support/browser.js';
import { EditorPage, eventually } from './support/editor-page.js';
import { debugNode, injectNode } from './support/node-red-nodes.js';
import { openSeededEditor, type SeededEditor } from './support/seeded-editor.js';

const snap = screenshotter('editor-canvas');

const TAB = 'c0ffee0000000001';
/** inject → function (sets its status) → debug, and a lone change node with a searchable rule. */
const FLOW = [
  { id: TAB, type: 'tab', label: 'Canvas', disabled: false, info: '' },
  injectNode({
    id: 'c0ffee00000000a1',
    z: TAB,
    name: 'start',
    payload: '5',
    payloadType: 'num',
    x: 140,
    y: 100,
    wires: [['c0ffee00000000a2']],
  }),
  {
    id: 'c0ffee00000000a2',
    type: 'function',
    z: TAB,
    name: 'status setter',
    outputs: 1,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    func: "node.status({ fill: 'green', shape: 'dot', text: 'got ' + msg.payload });\nreturn msg;",
    x: 360,
    y: 100,
    wires: [['c0ffee00000000a3']],
  },
  debugNode({ id: 'c0ffee00000000a3', z: TAB, name: 'out', x: 580, y: 100 }),
  {
    id: 'c0ffee00000000a4',
    type: 'change',
    z: TAB,
    name: 'lonely',
    rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'magic-word', tot: 'str' }],
    x: 360,
    y: 260,
    wires: [[]],
  },
];
const [INJECT, FN, DEBUG, CHANGE] = ['c0ffee00000000a1', 'c0ffee00000000a2', 'c0ffee00000000a3', 'c0ffee00000000a4'];

describe('editor canvas: palette, nodes, selection, clipboard, view', () => {
  let ed: EditorPage;

  let seeded: SeededEditor | undefined;
  beforeAll(async () => {
    seeded = await openSeededEditor(FLOW);
    ({ ed } = seeded);
  });

  afterAll(async () => {
    await seeded?.close();
  });

  it('groups the palette by category and filters it by search', async () => {
    const categories = await ed.page
      .locator('[data-testid^="palette-category-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.replace('palette-category-', '')));
    // Node-RED's order for the core ones, then Gridflow's IoT categories in pipeline order.
    expect(categories.slice(0, 2)).toEqual(['core', 'device']);
    expect(categories).toEqual(expect.arrayContaining(['core', 'stream', 'storage', 'app']));
    expect(
      await ed.byTestId('palette-category-core').locator('[data-testid^="palette-node-"]').count(),
    ).toBeGreaterThan(15);

    await ed.byTestId('palette-search').fill('win');
    await eventually(async () => expect(await ed.page.locator('[data-testid^="palette-node-"]').count()).toBe(1));
    expect(await ed.byTestId('palette-node-window').isVisible()).toBe(true);
    await snap(ed.page, 'palette-search');
    await ed.byTestId('palette-search').fill('no such node');
    await ed.byTestId('palette').getByText('No node matches').waitFor();
    await ed.byTestId('palette-search').fill('');
    await ed.byTestId('palette-node-inject').waitFor();
  });

  it('draws each node with its label, ports, and a live status dot and text', async () => {
    expect(await ed.node(INJECT).locator('.gf-node-label').textContent()).toBe('start');
    expect(await ed.node(FN).locator('.gf-node-label').textContent()).toBe('status setter');
    // A debug node without a name shows its property, as in Node-RED.
    expect(await ed.node(DEBUG).locator('.gf-node-label').textContent()).toBe('out');
    const ports = async (id: string, kind: 'source' | 'target'): Promise<number> =>
      ed.node(id).locator(`.react-flow__handle.${kind}`).count();
    expect([await ports(INJECT, 'target'), await ports(INJECT, 'source')]).toEqual([0, 1]);
    expect([await ports(FN, 'target'), await ports(FN, 'source')]).toEqual([1, 1]);
    expect([await ports(DEBUG, 'target'), await ports(DEBUG, 'source')]).toEqual([1, 0]);
    expect(await ed.edgeCount()).toBe(2);

    await ed.byTestId(`inject-${INJECT}`).click();
    const status = ed.byTestId(`node-status-${FN}`);
    await eventually(async () => expect(await status.textContent()).toBe('got 5'));
    const dot = await status.locator('.gf-status-dot').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(dot).toBe('rgb(85, 170, 136)');
    await snap(ed.page, 'node-status');
  });

  it('selects by click, shift-click, box and Ctrl+A', async () => {
    await ed.node(INJECT).click();
    expect(await ed.selectedIds()).toEqual([INJECT]);
    await ed.node(DEBUG).click({ modifiers: ['Shift'] });
    expect(await ed.selectedIds()).toEqual([INJECT, DEBUG].sort());
    await ed.openSidebar('node');
    await ed.byTestId('property-panel-multi').getByText('2 nodes selected').waitFor();

    // A click on the empty canvas clears the selection; a drag on it draws a selection box.
    const canvas = await ed.byTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas not visible');
    await ed.page.mouse.click(canvas.x + canvas.width - 40, canvas.y + canvas.height / 2 - 150);
    await eventually(async () => expect(await ed.selectedIds()).toEqual([]));
    const fn = await ed.node(FN).boundingBox();
    const change = await ed.node(CHANGE).boundingBox();
    if (!fn || !change) throw new Error('nodes not visible');
    await ed.drag(
      { x: fn.x - 20, y: fn.y - 20 },
      { x: change.x + change.width + 20, y: change.y + change.height + 20 },
    );
    await eventually(async () => expect(await ed.selectedIds()).toEqual([FN, CHANGE].sort()));
    await snap(ed.page, 'box-selection');

    await ed.shortcut('ControlOrMeta+A');
    await eventually(async () => expect(await ed.selectedIds()).toEqual([INJECT, FN, DEBUG, CHANGE].sort()));
  });

  it('moves a selection of nodes together and deletes nodes and wires', async () => {
    await ed.node(INJECT).click();
    await ed.node(FN).click({ modifiers: ['Shift'] });
    const a = await ed.centreOf(INJECT);
    const b = await ed.centreOf(FN);
    expect(await ed.selectedIds()).toEqual([INJECT, FN].sort());
    await ed.drag(a, { x: a.x + 60, y: a.y + 80 });
    await eventually(async () => {
      const a2 = await ed.centreOf(INJECT);
      const b2 = await ed.centreOf(FN);
      expect(a2.y - a.y).toBeGreaterThan(50);
      expect(b2.y - b.y).toBeCloseTo(a2.y - a.y, 0);
    });
    // The wire follows: the inject → function edge still joins them.
    expect(await ed.edgeCount()).toBe(2);

    // A wire can be selected and deleted on its own.
    const from = await ed.centreOf(INJECT);
    const to = await ed.centreOf(FN);
    await ed.page.mouse.click((from.x + to.x) / 2, (from.y + to.y) / 2);
    await eventually(async () => expect(await ed.page.locator('.react-flow__edge.selected').count()).toBe(1));
    await ed.shortcut('Delete');
    await eventually(async () => expect(await ed.edgeCount()).toBe(1));
    expect((await ed.nodeIds()).length).toBe(4);
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(await ed.edgeCount()).toBe(2));

    await ed.node(CHANGE).click();
    await ed.shortcut('Delete');
    await eventually(async () => expect(await ed.nodeIds()).not.toContain(CHANGE));
    await ed.shortcut('ControlOrMeta+Z');
    await eventually(async () => expect(await ed.nodeIds()).toContain(CHANGE));
  });

  it('copies the selection as Node-RED JSON, pastes it with new ids, cuts and pastes back', async () => {
    await ed.node(FN).click();
    await ed.node(DEBUG).click({ modifiers: ['Shift'] });
    await ed.shortcut('ControlOrMeta+C');
    let copied: { id: string; type: string; z: string; x: number; y: number; wires: string[][] }[] = [];
    await eventually(async () => {
      copied = JSON.parse(await ed.clipboard()) as typeof copied;
      expect(copied.map((n) => n.type).sort()).toEqual(['debug', 'function']);
    });
    // Node-RED's shape: flat objects with x, y, z and wires, the wire between them kept.
    const fn = copied.find((n) => n.type === 'function');
    expect(fn).toMatchObject({ id: FN, z: TAB, wires: [[DEBUG]] });
    expect(typeof fn?.x).toBe('number');

    const canvas = await ed.byTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas not visible');
    await ed.page.mouse.move(canvas.x + 300, canvas.y + canvas.height - 200);
    await ed.shortcut('ControlOrMeta+V');
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(6));
    expect(await ed.edgeCount()).toBe(3);
    const pasted = (await ed.selectedIds()).filter((id) => id !== FN && id !== DEBUG);
    expect(pasted).toHaveLength(2);
    await snap(ed.page, 'pasted');

    await ed.shortcut('ControlOrMeta+X');
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(4));
    const cut = JSON.parse(await ed.clipboard()) as { id: string }[];
    expect(cut.map((n) => n.id).sort()).toEqual(pasted.sort());
    await ed.shortcut('ControlOrMeta+V');
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(6));
    await ed.shortcut('Delete');
    await eventually(async () => expect((await ed.nodeIds()).length).toBe(4));
  });

  it('zooms, fits the view and shows a minimap', async () => {
    const scale = async (): Promise<number> =>
      ed.page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a);
    const before = await scale();
    await ed.page.locator('.react-flow__controls-zoomin').click();
    await eventually(async () => expect(await scale()).toBeGreaterThan(before));

    // Scroll the flow out of view, then zoom to fit brings every node back.
    const canvas = await ed.byTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas not visible');
    await ed.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let i = 0; i < 6; i++) await ed.page.mouse.wheel(0, 400);
    // Nodes out of view are not even mounted (the canvas only draws what is visible).
    await eventually(async () => expect(await ed.node(INJECT).count()).toBe(0));
    await ed.page.locator('.react-flow__controls-fitview').click();
    await eventually(async () => {
      for (const id of [INJECT, FN, DEBUG, CHANGE]) {
        const box = await ed.node(id).boundingBox();
        expect(box && box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height && box.x >= canvas.x).toBe(
          true,
        );
      }
    });

    const minimap = ed.byTestId('minimap');
    expect(await minimap.isVisible()).toBe(true);
    expect(await minimap.getAttribute('data-node-count')).toBe('4');
    // It draws the nodes: some of its pixels are not blank.
    const inked = await minimap.evaluate((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, 200, 150).data ?? [];
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    await snap(ed.page, 'fit-view-minimap');
    // A click on the minimap's corner moves the view there.
    const transform = async (): Promise<string> =>
      ed.page.locator('.react-flow__viewport').evaluate((e) => getComputedStyle(e).transform);
    const before2 = await transform();
    await minimap.click({ position: { x: 5, y: 5 } });
    await eventually(async () => expect(await transform()).not.toBe(before2));
    await ed.page.locator('.react-flow__controls-fitview').click();
  });

  it('finds nodes by name, type and property value and jumps to them', async () => {
    await ed.shortcut('ControlOrMeta+F');
    await ed.byTestId('search-dialog').waitFor();
    await ed.byTestId('search-input').fill('magic-word');
    await ed.byTestId(`search-hit-${CHANGE}`).waitFor();
    expect(await ed.byTestId('search-results').locator('li').count()).toBe(1);
    await snap(ed.page, 'search');
    await ed.byTestId('search-input').fill('debug');
    await ed.byTestId(`search-hit-${DEBUG}`).waitFor();
    await ed.byTestId('search-input').fill('status sett');
    await ed.byTestId(`search-hit-${FN}`).waitFor();
    await ed.page.keyboard.press('Enter');
    await ed.byTestId('search-dialog').waitFor({ state: 'detached' });
    await eventually(async () => expect(await ed.selectedIds()).toEqual([FN]));
  });
});
