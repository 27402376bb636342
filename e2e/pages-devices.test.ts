import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Locator, Request } from 'playwright-core';
import { connectDevice } from '../server/test/devices/support.js';
import { screenshotter } from './support/browser.js';
import { eventually } from './support/editor-page.js';
import { startPagesEnv, type PagesEnv } from './pages-harness.js';

const snap = screenshotter('pages-devices');

/** Counts the page's requests whose URL matches, from now until `stop()`. */
function countRequests(env: PagesEnv, url: RegExp): { count(): number; stop(): void } {
  let n = 0;
  const onRequest = (req: Request) => {
    if (url.test(req.url())) n++;
  };
  env.page.on('request', onRequest);
  return { count: () => n, stop: () => void env.page.off('request', onRequest) };
}

/** The input (or select, textarea) of a page form field by its name. */
function field(env: PagesEnv, name: string): Locator {
  return env.editor.byTestId(`field-${name}`).locator('input, select, textarea').first();
}

describe('pages: thing models, products, devices and a device detail', () => {
  let env: PagesEnv;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    env = await startPagesEnv();
  }, 240_000);
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await env?.close();
  });

  it('creates a thing model through the form, with errors shown by field', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-models').click();
    await editor.byTestId('model-new').click();
    await field(env, 'model-id').fill('9inverter');
    await field(env, 'model-name').fill('Inverter');
    await editor.byTestId('add-measurePoints').click();
    await field(env, 'measurePoints-0-identifier').fill('power');
    await field(env, 'measurePoints-0-name').fill('Active power');
    await field(env, 'measurePoints-0-spec-unit').fill('kW');
    await field(env, 'measurePoints-0-spec-min').fill('10');
    await field(env, 'measurePoints-0-spec-max').fill('5');
    await editor.byTestId('model-save').click();
    // The contract's schema runs in the page: each problem is shown at its field.
    expect(await editor.byTestId('error-model-id').textContent()).toMatch(/must start with a letter/);
    expect(await editor.byTestId('error-measurePoints-0-spec-max').textContent()).toBe('min must not exceed max');
    await snap(page, 'model-errors');

    await field(env, 'model-id').fill('inverter');
    await field(env, 'measurePoints-0-spec-min').fill('0');
    await field(env, 'measurePoints-0-spec-max').fill('100');
    await editor.byTestId('add-measurePoints').click();
    await field(env, 'measurePoints-1-identifier').fill('running');
    await field(env, 'measurePoints-1-pointType').selectOption('DI');
    await field(env, 'measurePoints-1-spec-type').selectOption('bool');
    await editor.byTestId('model-tab-services').click();
    await editor.byTestId('add-services').click();
    await field(env, 'services-0-identifier').fill('setLimit');
    await field(env, 'services-0-name').fill('Set power limit');
    await editor.byTestId('services-0-inputs-add').click();
    await field(env, 'services-0-inputs-0-identifier').fill('limit');
    await field(env, 'services-0-inputs-0-spec-type').selectOption('int');
    await field(env, 'services-0-inputs-0-spec-max').fill('100');
    await editor.byTestId('model-tab-attributes').click();
    await editor.byTestId('add-attributes').click();
    await field(env, 'attributes-0-identifier').fill('site');
    await editor.byTestId('model-save').click();
    await editor.byTestId('model-row-inverter').waitFor();
    await eventually(async () => expect(page.url()).toMatch(/#\/models\/inverter$/));
    const saved = (await (await env.api('/api/thing-models/inverter')).json()) as {
      model: { measurePoints: { identifier: string; spec: unknown }[]; services: unknown[]; attributes: unknown[] };
    };
    expect(saved.model.measurePoints.map((p) => p.identifier)).toEqual(['power', 'running']);
    expect(saved.model.measurePoints[0]?.spec).toEqual({ type: 'double', unit: 'kW', min: 0, max: 100 });
    expect(saved.model.services).toHaveLength(1);
    expect(saved.model.attributes).toMatchObject([{ identifier: 'site', name: 'site', spec: { type: 'string' } }]);
    await snap(page, 'model-saved');
  });

  it('creates a product and shows its secret once', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-products').click();
    await editor.byTestId('product-new').click();
    await editor.byTestId('product-create').click();
    expect(await editor.byTestId('error-product-name').textContent()).toBe('must not be empty');
    await field(env, 'product-name').fill('Roof inverter');
    await field(env, 'product-productKey').fill('roof');
    await editor.byTestId('product-create').click();
    await editor.byTestId('product-created').waitFor();
    const secret = (await editor.byTestId('product-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(8);
    await snap(page, 'product-created');
    await editor.byTestId('product-secret-done').click();
    await editor.byTestId('product-row-roof').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(secret);

    // Name and auth mode change; the key and model do not.
    await editor.byTestId('product-edit-open-roof').click();
    await field(env, 'edit-product-name').fill('');
    await editor.byTestId('product-edit-save').click();
    expect(await editor.byTestId('error-edit-product-name').textContent()).toBe('must not be empty');
    await field(env, 'edit-product-name').fill('Roof inverter');
    await field(env, 'edit-product-authMode').selectOption('dynamic');
    await editor.byTestId('product-edit-save').click();
    await eventually(async () => expect(await editor.byTestId('product-row-roof').textContent()).toContain('dynamic'));
    const product = (await (await env.api('/api/products/roof')).json()) as { authMode: string; name: string };
    expect(product).toMatchObject({ authMode: 'dynamic', name: 'Roof inverter' });
  });

  it('bulk-creates devices from CSV, searches them and shows online state live', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-devices').click();
    await editor.byTestId('device-import-open').click();
    await field(env, 'import-product').selectOption('roof');
    await field(env, 'import-csv').fill('deviceKey,name\ninv-001,Inverter one\ninv-002,Inverter two\ninv-003,Spare');
    expect(await editor.byTestId('import-preview').textContent()).toContain('3 devices');
    await editor.byTestId('import-submit').click();
    await editor.byTestId('device-secrets').waitFor();
    const secret = (await editor.byTestId('secret-inv-001').textContent()) ?? '';
    await snap(page, 'devices-imported');
    await editor.byTestId('device-secrets-done').click();
    await eventually(async () => expect(await page.locator('[data-testid^="device-row-"]').count()).toBe(3));

    await editor.byTestId('device-search').fill('two');
    await eventually(async () => expect(await page.locator('[data-testid^="device-row-"]').count()).toBe(1));
    await editor.byTestId('device-search').fill('');
    await eventually(async () => expect(await page.locator('[data-testid^="device-row-"]').count()).toBe(3));
    expect(await editor.byTestId('device-row-inv-001').getAttribute('data-state')).toBe('inactive');

    // A real device connects over MQTT with EnOS's signature; the server pushes the change and the
    // table turns it online within a couple of seconds, without loading the list or the page again.
    await editor.byTestId('live-marker').filter({ hasText: 'live' }).waitFor();
    // The import's own reload (throttled to one a second) is not what this counts.
    await page.waitForTimeout(1200);
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    const listLoads = countRequests(env, /\/api\/devices\?/);
    const broker = (await (await env.api('/api/devices/broker')).json()) as { port: number };
    const device = await connectDevice(broker.port, { productKey: 'roof', deviceKey: 'inv-001', secret });
    clients.push(device);
    await eventually(async () => expect(await editor.byTestId('device-row-inv-001').getAttribute('data-state')).toBe('online'), 2500);
    expect(await editor.byTestId('device-row-inv-001').textContent()).toMatch(/\d+ s ago/);
    expect(listLoads.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    listLoads.stop();
    await snap(page, 'device-online');

    // One more through the form: a key the contract refuses is named at its field.
    await editor.byTestId('device-new').click();
    await field(env, 'device-productKey').selectOption('roof');
    await field(env, 'device-name').fill('Meter X');
    await field(env, 'device-deviceKey').fill('bad key!');
    await editor.byTestId('device-create').click();
    expect(await editor.byTestId('error-device-deviceKey').textContent()).toBe('may contain letters, digits and _ . - only');
    await field(env, 'device-deviceKey').fill('meter-x');
    await field(env, 'device-attr-site').fill('basement');
    await editor.byTestId('device-create').click();
    await editor.byTestId('secret-meter-x').waitFor();
    await editor.byTestId('device-secrets-done').click();
    await editor.byTestId('device-row-meter-x').waitFor();
    const created = (await (await env.api('/api/devices/roof/meter-x')).json()) as { name: string; attributes: Record<string, unknown> };
    expect(created).toMatchObject({ name: 'Meter X', attributes: { site: 'basement' } });
  });

  it('shows a device: live latest values and a service call with its reply', async () => {
    const { editor, page } = env;
    const device = clients[0];
    if (!device) throw new Error('the previous test did not connect a device');
    // The device answers setLimit by echoing the limit it applied.
    await device.subscribeAsync('/sys/roof/inv-001/thing/service/setLimit', { qos: 1 });
    device.on('message', (topic, buf) => {
      if (topic !== '/sys/roof/inv-001/thing/service/setLimit') return;
      const req = JSON.parse(buf.toString()) as { id: string; params: { limit: number } };
      device.publish(`${topic}_reply`, JSON.stringify({ id: req.id, code: 200, data: { applied: req.params.limit } }), { qos: 1 });
    });

    // An event for the recent events panel (the form-made model has none).
    const stored = (await (await env.api('/api/thing-models/inverter')).json()) as { model: Record<string, unknown> };
    const overheat = { identifier: 'overheat', name: 'Overheat', eventType: 'warning', outputs: [{ identifier: 'temp', spec: { type: 'float' } }] };
    expect((await env.api('/api/thing-models/inverter', { method: 'PATCH', body: { ...stored.model, events: [overheat] } })).status).toBe(200);

    await editor.byTestId('device-row-inv-001').click();
    await editor.byTestId('device-detail').waitFor();
    expect(await editor.byTestId('device-state').textContent()).toContain('online');
    await editor.byTestId('latest-value-power').waitFor();
    // The page loads the latest values once; what the device posts now is pushed to it.
    const pointLoads = countRequests(env, /\/points$/);
    const post = (points: Record<string, unknown>) =>
      device.publish('/sys/roof/inv-001/thing/measurepoint/post', JSON.stringify({ id: '1', version: '1.0', method: 'thing.measurepoint.post', params: { measurepoints: points, time: Date.now() } }), { qos: 1 });
    post({ power: 42.5, running: true });
    await eventually(async () => expect(await editor.byTestId('latest-value-power').textContent()).toBe('42.5'), 2500);
    expect(await editor.byTestId('latest-value-running').textContent()).toBe('true');
    // A burst is coalesced: the page ends on the last value.
    for (let i = 1; i <= 50; i++) post({ power: i });
    await eventually(async () => expect(await editor.byTestId('latest-value-power').textContent()).toBe('50'), 2500);
    // A new event shows in the recent events (this server keeps none in QuestDB: it is the pushed one).
    device.publish('/sys/roof/inv-001/thing/event/overheat/post', JSON.stringify({ id: '2', version: '1.0', method: 'thing.event.overheat.post', params: { events: { temp: 91 } } }), { qos: 1 });
    await eventually(async () => expect(await editor.byTestId('event-overheat').textContent()).toContain('{"temp":91}'), 2500);
    expect(pointLoads.count()).toBe(0);
    pointLoads.stop();

    await field(env, 'service-param-limit').fill('abc');
    await editor.byTestId('service-submit').click();
    expect(await editor.byTestId('error-service-param-limit').textContent()).toBe('give a whole number');
    await field(env, 'service-param-limit').fill('80');
    await editor.byTestId('service-submit').click();
    await editor.byTestId('service-reply').waitFor();
    expect(await editor.byTestId('service-reply').textContent()).toContain('code 200');
    expect(JSON.parse((await editor.byTestId('service-reply-data').textContent()) ?? 'null')).toEqual({ applied: 80 });
    await snap(page, 'device-detail');

    await editor.byTestId('attributes-edit').click();
    await field(env, 'attr-site').fill('roof A');
    await editor.byTestId('attributes-save').click();
    await eventually(async () => expect(await editor.byTestId('attribute-site').textContent()).toBe('roof A'));
    const saved = (await (await env.api('/api/devices/roof/inv-001')).json()) as { attributes: Record<string, unknown> };
    expect(saved.attributes).toEqual({ site: 'roof A' });

    // The device disconnects: its page says so by itself.
    device.end(true);
    await eventually(async () => expect(await editor.byTestId('device-state').textContent()).toContain('offline'), 2500);
  });
});
