import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Waits until `check` stops throwing (or its time runs out), like Playwright Test's expect.poll. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      last = err;
      if (Date.now() > deadline) throw last;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Replaces the flows on the server at `url` from Node (logging in as `username`), so that a test
 * file starts from a known document whichever file ran before it on a shared server.
 */
export async function resetFlows(url: string, username: string, password: string, flows: unknown[]): Promise<void> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`log in as ${username} failed: HTTP ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${url}/api/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ flows, type: 'full' }),
  });
  if (!res.ok) throw new Error(`resetting the flows failed: HTTP ${res.status} ${await res.text()}`);
}

/** What the e2e tests do in the editor, by its data-testid attributes. */
export class EditorPage {
  constructor(readonly page: Page) {}

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  async login(username: string, password: string): Promise<void> {
    await this.page.goto('/');
    await this.byTestId('login-username').fill(username);
    await this.byTestId('login-password').fill(password);
    await this.byTestId('login-submit').click();
    await this.byTestId('canvas').waitFor();
  }

  async logout(): Promise<void> {
    await this.byTestId('logout').click();
    await this.byTestId('login-page').waitFor();
  }

  /** Ids of the flow nodes drawn on the canvas, optionally of one type. */
  async nodeIds(type?: string): Promise<string[]> {
    const sel = type ? `.react-flow__node [data-node-type="${type}"]` : '.react-flow__node [data-node-type]';
    const ids = await this.page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace(/^node-/, ''));
  }

  /** Drags a node type from the palette onto the canvas at a point relative to the canvas; returns its id. */
  async dropNode(type: string, x: number, y: number): Promise<string> {
    const before = new Set(await this.nodeIds());
    await this.byTestId(`palette-node-${type}`).dragTo(this.byTestId('canvas'), { targetPosition: { x, y } });
    let id = '';
    await eventually(async () => {
      const added = (await this.nodeIds()).filter((n) => !before.has(n));
      expect(added).toHaveLength(1);
      id = added[0] ?? '';
    });
    return id;
  }

  node(id: string): Locator {
    return this.byTestId(`node-${id}`);
  }

  /** Drags a wire from output `port` of one node to the input of another. */
  async wire(source: string, target: string, port = 0): Promise<void> {
    const from = this.node(source).locator(`.react-flow__handle[data-handleid="out-${port}"]`);
    const to = this.node(target).locator('.react-flow__handle[data-handleid="in"]');
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error(`ports of ${source} or ${target} are not visible`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }

  async edgeCount(): Promise<number> {
    return this.page.locator('.react-flow__edge').count();
  }

  /** Selects a node by clicking it and shows its properties. */
  async select(id: string): Promise<void> {
    await this.node(id).click();
    await this.openSidebar('node');
    await eventually(async () => expect(await this.byTestId('panel-node-id').textContent()).toBe(id));
  }

  async openSidebar(tab: 'node' | 'info' | 'debug' | 'config' | 'history'): Promise<void> {
    await this.byTestId(`sidebar-tab-${tab}`).click();
  }

  /** Replaces the text of a CodeMirror field of the property panel. */
  async setCode(testId: string, code: string): Promise<void> {
    const content = this.byTestId(testId).locator('.cm-content');
    await content.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(code);
  }

  async deploy(): Promise<void> {
    await this.byTestId('deploy-button').click();
    await this.byTestId('notice-success').filter({ hasText: 'Deployed' }).first().waitFor();
  }

  /**
   * Replaces the server's flows with `flows` (a full deploy over the API, as the signed-in user) and
   * reloads the editor, so a test starts from a known document whatever ran before it.
   */
  async seed(flows: unknown[]): Promise<void> {
    const status = await this.page.evaluate(async (body) => {
      const res = await fetch('/api/deploy', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return res.status;
    }, { flows, type: 'full' });
    expect(status).toBe(200);
    await this.page.reload();
    await this.byTestId('canvas').waitFor();
  }

  /** An API call from the page, with its session cookie; returns status and parsed body. */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return this.page.evaluate(
      async ({ method, path, body }) => {
        const res = await fetch(path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      },
      { method, path, body },
    );
  }

  async clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** The centre of a node on screen. */
  async centreOf(id: string): Promise<{ x: number; y: number }> {
    const box = await this.node(id).boundingBox();
    if (!box) throw new Error(`node ${id} is not visible`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Drags with the left button from one screen point to another. */
  async drag(from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x, to.y, { steps });
    await this.page.mouse.up();
  }

  /** Ids of the selected flow nodes, as the canvas draws them. */
  async selectedIds(): Promise<string[]> {
    const ids = await this.page
      .locator('.react-flow__node.selected [data-node-type]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace(/^node-/, '')).sort();
  }

  /** Switches to the flow tab with this label. */
  async openTab(label: string): Promise<void> {
    await this.byTestId('tab-bar').locator(`[data-label="${label}"]`).click();
  }

  /** Presses a shortcut with the canvas focused (not a text field). */
  async shortcut(keys: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(keys);
  }
}
