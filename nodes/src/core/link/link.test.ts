import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTimerOptions, probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

/** A called flow on tab t2: link in -> junction -> link out (return). */
const service = (linkIn: string, name: string, z = 't2') => [
  { id: linkIn, type: 'link in', z, name, links: [], wires: [[`${linkIn}-work`]] },
  { id: `${linkIn}-work`, type: 'junction', z, wires: [[`${linkIn}-ret`]] },
  { id: `${linkIn}-ret`, type: 'link out', z, mode: 'return', links: [], wires: [] },
];

describe('link out / link in', () => {
  it('sends across tabs to every linked link in, the first the message, the rest copies', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      tab('t2'),
      { id: 'out', type: 'link out', z: 't1', name: 'to-t2', mode: 'link', links: ['in1', 'in2'], wires: [] },
      { id: 'in1', type: 'link in', z: 't2', name: 'a', links: ['out'], wires: [['p1']] },
      { id: 'in2', type: 'link in', z: 't2', name: 'b', links: ['out'], wires: [['p2']] },
      probe('p1', 't2'),
      probe('p2', 't2'),
    ]);
    const data = { n: 1 };
    h.send('out', { payload: data });
    await h.settle();
    expect(h.payloads('p1')).toEqual([{ n: 1 }]);
    expect(h.payloads('p2')).toEqual([{ n: 1 }]);
    expect(h.at('p1')[0]?.payload).not.toBe(h.at('p2')[0]?.payload);
    expect(h.at('p1')[0]?.['_event']).toBe('node:out');
  });

  it('inside a subflow, links stay within the instance', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      {
        id: 'sf',
        type: 'subflow',
        name: 'sf',
        in: [{ wires: [{ id: 'lo' }] }],
        out: [{ wires: [{ id: 'li', port: 0 }] }],
      },
      { id: 'lo', type: 'link out', z: 'sf', mode: 'link', links: ['li'], wires: [] },
      { id: 'li', type: 'link in', z: 'sf', links: ['lo'], wires: [[]] },
      { id: 'a', type: 'subflow:sf', z: 't1', wires: [['pa']] },
      { id: 'b', type: 'subflow:sf', z: 't1', wires: [['pb']] },
      probe('pa'),
      probe('pb'),
    ]);
    h.send('a', { payload: 'A' });
    await h.settle();
    expect(h.payloads('pa')).toEqual(['A']);
    expect(h.payloads('pb')).toEqual([]);
  });

  it('drops silently what goes to a disabled or missing link in', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      { id: 'out', type: 'link out', z: 't1', links: ['gone', 'off', 'in'], wires: [] },
      { id: 'off', type: 'link in', z: 't1', d: true, links: ['out'], wires: [['p']] },
      { id: 'in', type: 'link in', z: 't1', links: ['out'], wires: [['p']] },
      probe('p'),
    ]);
    h.send('out', { payload: 1 });
    await h.settle();
    expect(h.payloads('p')).toEqual([1]);
    expect(h.errors).toHaveLength(0);
  });
});

describe('link call', () => {
  it('calls a flow on another tab and sends on what the return link out gives back', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      tab('t2'),
      { id: 'call', type: 'link call', z: 't1', links: ['svc'], linkType: 'static', timeout: '5', wires: [['p']] },
      { id: 'done-watch', type: 'complete', z: 't1', scope: ['call'], wires: [['p-complete']] },
      probe('p'),
      probe('p-complete'),
      ...service('svc', 'service'),
    ]);
    h.send('call', { payload: 'ping' });
    await h.settle();
    expect(h.payloads('p')).toEqual(['ping']);
    expect(h.at('p')[0]).not.toHaveProperty('_linkSource');
    // done() of the original input runs when the answer comes back
    expect(h.payloads('p-complete')).toEqual(['ping']);
  });

  it('resolves msg.target by name or id in dynamic mode, and reports unknown and ambiguous names', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      tab('t2'),
      tab('t3'),
      { id: 'call', type: 'link call', z: 't1', links: [], linkType: 'dynamic', timeout: '', wires: [['p']] },
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
      probe('p'),
      probe('errs'),
      ...service('svc', 'service'),
      ...service('dup1', 'twice'),
      ...service('dup2', 'twice', 't3'),
    ]);
    h.send('call', { payload: 'by-name', target: 'service' });
    h.send('call', { payload: 'by-id', target: 'dup2' });
    h.send('call', { payload: 'nope', target: 'missing' });
    h.send('call', { payload: 'two', target: 'twice' });
    await h.settle();
    expect(h.payloads('p').sort()).toEqual(['by-id', 'by-name']);
    const errors = h.at('errs').map((m) => [m.payload, (m['error'] as { message: string }).message]);
    expect(errors).toEqual([
      ['nope', "Error: target link-in node 'missing' not found"],
      ['two', "Error: Multiple link-in nodes named 'twice' found"],
    ]);
  });

  it('prefers a same-named link in on its own tab', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      tab('t2'),
      { id: 'call', type: 'link call', z: 't1', linkType: 'dynamic', wires: [['p']] },
      probe('p'),
      { id: 'local', type: 'link in', z: 't1', name: 'svc', wires: [['local-tag']] },
      { id: 'local-tag', type: 'junction', z: 't1', wires: [['local-ret', 'p-local']] },
      { id: 'local-ret', type: 'link out', z: 't1', mode: 'return', wires: [] },
      probe('p-local'),
      ...service('remote', 'svc'),
    ]);
    h.send('call', { payload: 1, target: 'svc' });
    await h.settle();
    expect(h.payloads('p-local')).toEqual([1]);
    expect(h.payloads('p')).toEqual([1]);
  });

  it('reports a timeout error with the message as it was sent, and drops a late answer of a timed-out call', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy([
      tab('t1'),
      { id: 'call', type: 'link call', z: 't1', links: ['slow'], timeout: '2', wires: [['p']] },
      { id: 'c', type: 'catch', z: 't1', scope: ['call'], wires: [['errs']] },
      probe('p'),
      probe('errs'),
      // The called flow never returns.
      { id: 'slow', type: 'link in', z: 't1', wires: [['sink']] },
      probe('sink'),
    ]);
    h.send('call', { payload: 'waiting' });
    await h.runtime.idle();
    expect(h.at('sink')[0]?.['_linkSource']).toEqual([{ id: expect.any(String), node: 'call' }]);
    await vi.advanceTimersByTimeAsync(1999);
    await h.runtime.idle();
    expect(h.at('errs')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2);
    await h.runtime.idle();
    const [err] = h.at('errs');
    expect(err?.payload).toBe('waiting');
    expect(err?.['error']).toMatchObject({ message: 'timeout', source: { id: 'call', type: 'link call' } });
    expect(err?.['_linkSource']).toEqual([]);
    expect(h.at('p')).toHaveLength(0);
  });

  it('reports a missing return address from a link out in return mode as a warning', async () => {
    h = startFlows();
    await h.deploy([tab('t1'), { id: 'ret', type: 'link out', z: 't1', mode: 'return', wires: [] }]);
    h.send('ret', { payload: 1 });
    await h.settle();
    expect(h.warnings).toEqual([{ id: 'ret', message: 'Missing return node information' }]);
  });

  it('inside subflow instances, static and dynamic calls reach the instance’s own link in', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      {
        id: 'sf',
        type: 'subflow',
        name: 'sf',
        in: [{ wires: [{ id: 'stat' }, { id: 'dyn' }] }],
        out: [
          {
            wires: [
              { id: 'stat', port: 0 },
              { id: 'dyn', port: 0 },
            ],
          },
        ],
        env: [],
      },
      { id: 'stat', type: 'link call', z: 'sf', links: ['svc-in'], wires: [[]] },
      { id: 'dyn', type: 'link call', z: 'sf', linkType: 'dynamic', wires: [[]] },
      { id: 'svc-in', type: 'link in', z: 'sf', name: 'inner', wires: [['svc-tag']] },
      { id: 'svc-tag', type: 'test-status', z: 'sf', wires: [['svc-ret']] },
      { id: 'svc-ret', type: 'link out', z: 'sf', mode: 'return', wires: [] },
      { id: 'a', type: 'subflow:sf', z: 't1', wires: [['pa']] },
      { id: 'b', type: 'subflow:sf', z: 't1', wires: [['pb']] },
      probe('pa'),
      probe('pb'),
    ]);
    h.send('a', { payload: 'A', target: 'svc-in' });
    await h.settle();
    h.send('b', { payload: 'B', target: 'inner' });
    await h.settle();
    expect(h.payloads('pa')).toEqual(['A', 'A']);
    expect(h.payloads('pb')).toEqual(['B', 'B']);
    expect(h.statuses('a-svc-tag').map((s) => s.text)).toEqual(['A', 'A']);
    expect(h.statuses('b-svc-tag').map((s) => s.text)).toEqual(['B', 'B']);
  });

  it('cannot call a link in inside a subflow instance by name from a tab', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      { id: 'sf', type: 'subflow', name: 'sf', in: [], out: [] },
      { id: 'hidden', type: 'link in', z: 'sf', name: 'hidden', wires: [[]] },
      { id: 'i', type: 'subflow:sf', z: 't1', wires: [] },
      { id: 'call', type: 'link call', z: 't1', linkType: 'dynamic', wires: [[]] },
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
      probe('errs'),
    ]);
    h.send('call', { payload: 1, target: 'hidden' });
    await h.settle();
    expect((h.at('errs')[0]?.['error'] as { message: string }).message).toBe(
      "Error: target link-in node 'hidden' not found",
    );
  });
});

describe('junction and comment', () => {
  it('junction passes messages on; comment deploys and does nothing', async () => {
    h = startFlows();
    await h.deploy([
      tab('t1'),
      { id: 'note', type: 'comment', z: 't1', name: 'About', info: '# hello' },
      { id: 'j', type: 'junction', z: 't1', wires: [['p', 'q']] },
      probe('p'),
      probe('q'),
    ]);
    h.send('j', { payload: 'x' });
    await h.settle();
    expect(h.payloads('p')).toEqual(['x']);
    expect(h.payloads('q')).toEqual(['x']);
  });
});
