// What the editor benchmark measures, shared by bench/editor.mjs and e2e/editor-perf.test.ts:
// a big flow, the time to open it, and the frame rate while panning and dragging, in Gridflow's
// editor and in Node-RED's, driven through the same Chromium with trusted (CDP) input.

/** One tab of `n` nodes in chains of inject → change → function → switch → debug, laid out in a grid. */
export function bigFlow(n, tabId = 'b16f10w000000001') {
  const types = ['inject', 'change', 'function', 'switch', 'debug'];
  const flows = [{ id: tabId, type: 'tab', label: `Big flow (${n} nodes)`, disabled: false, info: '' }];
  const id = (i) => `b16f10w1${i.toString(16).padStart(8, '0')}`;
  const perRow = 40;
  for (let i = 0; i < n; i++) {
    const type = types[i % types.length];
    const last = i % types.length === types.length - 1 || i === n - 1;
    const node = { id: id(i), type, z: tabId, name: `${type} ${i}`, x: 120 + (i % perRow) * 190, y: 60 + Math.floor(i / perRow) * 70 };
    const next = last ? [] : [id(i + 1)];
    if (type === 'inject') Object.assign(node, { props: [{ p: 'payload' }], payload: String(i), payloadType: 'num', topic: '', repeat: '', crontab: '', once: false, onceDelay: 0.1, wires: [next] });
    if (type === 'change') Object.assign(node, { rules: [{ t: 'set', p: 'topic', pt: 'msg', to: `t${i}`, tot: 'str' }], wires: [next] });
    if (type === 'function') Object.assign(node, { func: 'return msg;', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [next] });
    if (type === 'switch') Object.assign(node, { property: 'payload', propertyType: 'msg', rules: [{ t: 'gte', v: '0', vt: 'num' }], checkall: 'true', repair: false, outputs: 1, wires: [next] });
    if (type === 'debug') Object.assign(node, { active: false, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto', wires: [] });
    flows.push(node);
  }
  return flows;
}

/** How each editor draws a node, and the element to pan over. */
export const EDITORS = {
  gridflow: { node: '.react-flow__node-flow', canvas: '[data-testid="canvas"] .react-flow__pane' },
  'node-red': { node: '#red-ui-workspace-chart rect.red-ui-flow-node', canvas: '#red-ui-workspace-chart' },
};

/**
 * Loads `url` and returns the milliseconds from navigation start until `minNodes` nodes are drawn
 * and the browser painted a frame with them.
 */
export async function measureOpen(page, url, editor, minNodes) {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page
    .waitForFunction(([sel, min]) => (document.querySelectorAll(sel).length >= min ? performance.now() : false), [EDITORS[editor].node, minNodes], {
      timeout: 60_000,
      polling: 'raf',
    })
    .catch(async (err) => {
      await page.screenshot({ path: `/tmp/bench-editor-${editor}-timeout.png` });
      throw new Error(`${editor}: the flow was not drawn within 60 s (screenshot /tmp/bench-editor-${editor}-timeout.png): ${err.message}`);
    });
  const drawn = await handle.jsonValue();
  // The frame that shows them.
  const painted = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
  return { drawnMs: drawn, paintedMs: painted, nodes: await page.locator(EDITORS[editor].node).count() };
}

/** Counts animation frames while `action` runs: frames per second and the longest frame. */
export async function measureFrames(page, action) {
  await page.evaluate(() => {
    const w = window;
    w.__benchFrames = [];
    w.__benchRun = true;
    const tick = (t) => {
      w.__benchFrames.push(t);
      if (w.__benchRun) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  const frames = await page.evaluate(() => {
    window.__benchRun = false;
    return window.__benchFrames;
  });
  if (frames.length < 2) return { fps: 0, worstMs: Infinity, frames: frames.length };
  let worst = 0;
  for (let i = 1; i < frames.length; i++) worst = Math.max(worst, frames[i] - frames[i - 1]);
  const seconds = (frames[frames.length - 1] - frames[0]) / 1000;
  return { fps: (frames.length - 1) / seconds, worstMs: worst, frames: frames.length };
}

/** Pans by scrolling over the canvas for about `ms` (Gridflow pans on scroll; Node-RED's canvas scrolls). */
export async function pan(page, editor, ms = 2000) {
  const box = await page.locator(EDITORS[editor].canvas).first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const end = Date.now() + ms;
  let dir = 1;
  let i = 0;
  while (Date.now() < end) {
    if (++i % 40 === 0) dir = -dir;
    await page.mouse.wheel(dir * 25, dir * 15);
    await page.waitForTimeout(8);
  }
}

/** Drags one node in circles for about `ms`. */
export async function dragNode(page, editor, ms = 2000) {
  const nodes = page.locator(EDITORS[editor].node);
  const box = await nodes.nth(Math.min(45, (await nodes.count()) - 1)).boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const end = Date.now() + ms;
  const start = Date.now();
  while (Date.now() < end) {
    const a = ((Date.now() - start) / 1000) * Math.PI;
    await page.mouse.move(x + 60 + Math.cos(a) * 60, y + Math.sin(a) * 60);
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
}

/** Opens, pans and drags in one editor; returns the figures. */
export async function measureEditor(page, url, editor, minNodes) {
  const open = await measureOpen(page, url, editor, minNodes);
  // Let the first layout settle before timing interaction.
  await page.waitForTimeout(300);
  const panned = await measureFrames(page, () => pan(page, editor));
  const dragged = await measureFrames(page, () => dragNode(page, editor));
  return { open, pan: panned, drag: dragged };
}

export const round = (n, d = 0) => Number(n.toFixed(d));

export function describeResult(editor, r) {
  return (
    `${editor}: opened ${r.open.nodes} drawn nodes in ${round(r.open.paintedMs)} ms; ` +
    `pan ${round(r.pan.fps, 1)} fps (worst frame ${round(r.pan.worstMs)} ms); ` +
    `drag ${round(r.drag.fps, 1)} fps (worst frame ${round(r.drag.worstMs)} ms)`
  );
}
