import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { openApiModule } from '../src/openapi/index.js';
import { adminClient, startTestServer, type TestServer } from './helpers.js';

const CHROMIUM = process.env['GRIDFLOW_CHROMIUM'] ?? '/usr/bin/chromium';

let t: TestServer;
let browser: Browser;
beforeAll(async () => {
  t = await startTestServer({}, { modules: [openApiModule()] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('/api/docs in a browser', () => {
  it('renders every operation and sends a request without reaching any other host', async () => {
    const origin = new URL(t.url).origin;
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    // Everything not from this server is refused and recorded: the page must work offline.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const admin = await adminClient(t.url);
    const [name, value] = (admin.cookie ?? '').split('=');
    await context.addCookies([{ name: name as string, value: value as string, url: t.url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const started = Date.now();
    await page.goto(`${t.url}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    console.log(`/api/docs rendered in ${Date.now() - started} ms`);
    expect(await page.locator('.opblock-tag').count()).toBeGreaterThan(5);
    // Tag sections open by default; count operations of one known section.
    await expect.poll(() => page.locator('.opblock').count()).toBeGreaterThan(20);

    // Try it out on GET /api/auth/me: the browser's session cookie goes along.
    const me = page.locator('#operations-auth-me');
    await me.locator('.opblock-summary').click();
    await me.getByRole('button', { name: 'Try it out' }).click();
    await me.getByRole('button', { name: 'Execute' }).click();
    const status = me.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('200');
    expect(await me.locator('.live-responses-table .microlight').first().textContent()).toContain(
      '"username": "admin"',
    );

    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
