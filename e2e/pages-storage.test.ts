import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Locator } from 'playwright-core';
import { connectDevice } from '../server/test/devices/support.js';
import { screenshotter } from './support/browser.js';
import { eventually } from './support/editor-page.js';
import { startPagesEnv, type PagesEnv } from './pages-harness.js';

const snap = screenshotter('pages-storage');

function field(env: PagesEnv, name: string): Locator {
  return env.editor.byTestId(`field-${name}`).locator('input, select, textarea').first();
}

describe('pages: storage policies, the device chart and the data explorer on a real QuestDB', () => {
  let env: PagesEnv;
  let device: MqttClient | undefined;
  let table = '';
  beforeAll(async () => {
    env = await startPagesEnv({ questdb: true });
    const post = async (path: string, body: unknown) => {
      const res = await env.api(path, { method: 'POST', body });
      expect(res.status, await res.clone().text()).toBe(201);
      return res.json() as Promise<Record<string, unknown>>;
    };
    await post('/api/thing-models', {
      id: 'meter',
      name: 'Meter',
      measurePoints: [
        { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double', unit: 'kW' } },
        { identifier: 'note', name: 'Note', spec: { type: 'string' } },
      ],
    });
    await post('/api/products', { productKey: 'grid', name: 'Grid meter', modelId: 'meter' });
    await post('/api/devices', { productKey: 'grid', deviceKey: 'm-1', name: 'Meter 1', deviceSecret: 'secret-m-1' });
  }, 240_000);
  afterAll(async () => {
    device?.end(true);
    await env?.close();
  });

  it('edits a policy with a live size projection and saves it', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-storage').click();
    await editor.byTestId('storage-product-grid').click();
    await editor.byTestId('policy-form').waitFor();
    expect(await editor.byTestId('policy-form').textContent()).toContain('not stored yet');
    const total = async () => (await editor.byTestId('projection-total').textContent()) ?? '';
    await eventually(async () => expect(await total()).toMatch(/B$/));
    const before = await total();

    // A tenth of the report rate: the projection (asked of the server for the draft) shrinks.
    await field(env, 'policy-reportInterval').fill('100');
    await eventually(async () => expect(await total()).not.toBe(before));
    await editor.byTestId('tier-1m').locator('input[type="checkbox"]').uncheck();
    await editor.byTestId('policy-point-note').locator('input[type="checkbox"]').first().uncheck();
    await editor.byTestId('raw-retention').locator('input').fill('0');
    await editor.byTestId('policy-save').click();
    expect(await editor.byTestId('form-error').textContent()).toContain('must be at least 1');
    await editor.byTestId('raw-retention').locator('input').fill('7');
    await eventually(async () => expect(await editor.byTestId('projection-1m').count()).toBe(0));
    await snap(page, 'policy-draft');
    await editor.byTestId('policy-save').click();
    await editor.byTestId('form-ok').waitFor();

    const saved = (await (await env.api('/api/storage-policies/grid')).json()) as {
      table: string;
      rawRetention: unknown;
      tiers: { tier: string; enabled: boolean }[];
      points: Record<string, { store: boolean }>;
    };
    expect(saved.rawRetention).toEqual({ value: 7, unit: 'DAYS' });
    expect(saved.tiers.find((t) => t.tier === '1m')?.enabled).toBe(false);
    expect(saved.points['note']?.store).toBe(false);
    table = saved.table;
    await snap(page, 'policy-saved');
  });

  it('charts a stored point on the device page and zooms into it', async () => {
    const { editor, page } = env;
    const broker = (await (await env.api('/api/devices/broker')).json()) as { port: number };
    device = await connectDevice(broker.port, { productKey: 'grid', deviceKey: 'm-1', secret: 'secret-m-1' });
    const now = Date.now();
    // 60 readings over the last 30 minutes, a sine so the chart has a shape.
    const values = Array.from({ length: 60 }, (_, i) => ({ time: now - (60 - i) * 30_000, measurepoints: { power: Math.round(50 + 40 * Math.sin(i / 6)) } }));
    device.publish('/sys/grid/m-1/thing/measurepoint/post/batch', JSON.stringify({ id: '1', version: '1.0', method: 'thing.measurepoint.post.batch', params: values }), { qos: 1 });
    await eventually(async () => {
      const res = await env.api('/api/timeseries?productKey=grid&points=power&devices=m-1');
      const body = (await res.json()) as { series: { data: unknown[] }[] };
      expect(body.series[0]?.data.length ?? 0).toBe(60);
    }, 30_000);

    await page.goto(`${env.url}/#/devices/grid/m-1`);
    const chart = editor.byTestId('device-chart');
    await eventually(async () => expect(Number(await chart.getAttribute('data-points'))).toBe(60), 15_000);
    await snap(page, 'device-chart');

    // Drag across the middle of the plot: the page asks the server for that range only.
    const over = chart.locator('.u-over');
    const box = await over.boundingBox();
    if (!box) throw new Error('the chart has no plot area');
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await eventually(async () => {
      const n = Number(await chart.getAttribute('data-points'));
      expect(n).toBeGreaterThan(5);
      expect(n).toBeLessThan(40);
    });
    expect(await field(env, 'chart-range').inputValue()).toBe('');
    await snap(page, 'device-chart-zoomed');
    await editor.byTestId('chart-refresh').click();
    await eventually(async () => expect(Number(await chart.getAttribute('data-points'))).toBe(60));
  });

  it('runs SQL in the data explorer: table, chart, and errors', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-explorer').click();
    const sql = editor.byTestId('sql-input');
    await sql.fill('SELECT ts, power FROM nosuchtable');
    await editor.byTestId('sql-run').click();
    await editor.byTestId('form-error').waitFor();
    expect(await editor.byTestId('form-error').textContent()).toMatch(/nosuchtable|does not exist/i);

    await sql.fill(`SELECT ts, device, power FROM ${table} ORDER BY ts`);
    await sql.press('Control+Enter');
    await eventually(async () => expect(await editor.byTestId('sql-summary').textContent()).toContain('60 rows'));
    // A timestamp and a number column: the result opens as a chart.
    await eventually(async () => expect(Number(await editor.byTestId('sql-chart').getAttribute('data-points'))).toBe(60));
    await snap(page, 'explorer-chart');
    await editor.byTestId('sql-view-table').click();
    expect(await editor.byTestId('sql-table').locator('tbody tr').count()).toBe(60);
    await snap(page, 'explorer-table');
  });
});
