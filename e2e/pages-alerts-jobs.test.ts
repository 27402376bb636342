import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotter } from './support/browser.js';
import { eventually } from './support/editor-page.js';
import { startPagesEnv, type PagesEnv } from './pages-harness.js';

const snap = screenshotter('pages-alerts-jobs');

/** inject (95 or 20) → threshold alert (payload > 80 per topic), and a schedule whose run comes back to it after a delay. */
const FLOWS = [
  { id: 'tab1', type: 'tab', label: 'Plant' },
  { id: 'hot', type: 'inject', z: 'tab1', name: 'hot', props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], payload: '95', payloadType: 'num', topic: 'pump-1', x: 100, y: 40, wires: [['thr1']] },
  { id: 'cool', type: 'inject', z: 'tab1', name: 'cool', props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], payload: '20', payloadType: 'num', topic: 'pump-1', x: 100, y: 80, wires: [['thr1']] },
  { id: 'thr1', type: 'threshold alert', z: 'tab1', name: 'too hot', op: '>', threshold: 80, hysteresis: 5, severity: 'major', template: '{{key}} is too hot: {{value}}', x: 300, y: 60, wires: [[]] },
  { id: 'sch1', type: 'schedule', z: 'tab1', name: 'nightly', kind: 'interval', interval: 3600, timeout: 60, x: 100, y: 160, wires: [['dly1']] },
  { id: 'dly1', type: 'delay', z: 'tab1', name: '', pauseType: 'delay', timeout: '1500', timeoutUnits: 'milliseconds', x: 300, y: 160, wires: [['sch1']] },
];

describe('pages: alerts and jobs, live', () => {
  let env: PagesEnv;
  beforeAll(async () => {
    env = await startPagesEnv();
    const res = await env.api('/api/deploy', { method: 'POST', body: { flows: FLOWS } });
    expect(res.status, await res.clone().text()).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await env?.close();
  });

  const inject = async (node: 'hot' | 'cool') => {
    const res = await env.api(`/api/inject/${node}`, { method: 'POST', body: {} });
    expect(res.status).toBe(200);
  };

  it('shows an alert raised and cleared without a reload, and acknowledges it', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-alerts').click();
    await editor.byTestId('page-alerts').waitFor();
    await eventually(async () => expect(await editor.byTestId('live-marker').textContent()).toContain('live'));
    expect(await page.locator('[data-testid^="alert-pump"]').count()).toBe(0);

    await inject('hot');
    const row = editor.byTestId('alert-pump-1');
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('raised');
    expect(await row.textContent()).toContain('pump-1 is too hot: 95');
    await snap(page, 'alert-raised');

    await editor.byTestId('ack-pump-1').click();
    await eventually(async () => expect(await row.getAttribute('data-acknowledged')).toBe('true'));
    expect(await row.textContent()).toContain('by admin');

    // Cleared: it leaves the active tab by itself and stays in the history.
    await inject('cool');
    await eventually(async () => expect(await page.locator('[data-testid="alert-pump-1"]').count()).toBe(0));
    await editor.byTestId('alerts-tab-history').click();
    await eventually(async () => expect(await editor.byTestId('alert-pump-1').getAttribute('data-state')).toBe('cleared'));
    await snap(page, 'alert-history');
  });

  it('runs a job now, shows it running then succeeded, and pauses its schedule', async () => {
    const { editor, page } = env;
    await editor.byTestId('rail-jobs').click();
    await editor.byTestId('schedule-nightly').waitFor();
    await editor.byTestId('run-now-nightly').click();
    const run = page.locator('[data-testid^="run-"][data-status]').first();
    await run.waitFor();
    expect(await run.getAttribute('data-status')).toBe('running');
    await snap(page, 'job-running');
    // The run ends when the delayed message returns to the schedule node: the page hears it live.
    await eventually(async () => expect(await run.getAttribute('data-status')).toBe('succeeded'), 15_000);
    expect(await run.textContent()).toContain('manual by admin');

    await editor.byTestId('pause-nightly').click();
    await eventually(async () => expect(await editor.byTestId('schedule-nightly').getAttribute('data-paused')).toBe('true'));
    const schedules = (await (await env.api('/api/jobs/schedules')).json()) as { schedules: { name: string; paused: boolean }[] };
    expect(schedules.schedules.find((s) => s.name === 'nightly')?.paused).toBe(true);
    await snap(page, 'job-paused');
  });
});
