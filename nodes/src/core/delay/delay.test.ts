import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTimerOptions, probe, sleep, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

const delayFlow = (props: Record<string, unknown>, outputs = 1) => [
  tab(),
  { id: 'd', type: 'delay', z: 't1', ...props, outputs, wires: outputs === 2 ? [['p'], ['dropped']] : [['p']] },
  probe('p'),
  probe('dropped'),
];

/** Advances fake time, then lets the scheduler deliver what the timers sent. */
async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await h.runtime.idle();
}

describe('delay: delay modes', () => {
  beforeEach(() => vi.useFakeTimers(fakeTimerOptions));

  it('delays each message by the fixed time from its own arrival', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'delay', timeout: '2', timeoutUnits: 'seconds' }));
    h.send('d', { payload: 'a' });
    await advance(1000);
    h.send('d', { payload: 'b' });
    await advance(999);
    expect(h.payloads('p')).toEqual([]);
    await advance(1);
    expect(h.payloads('p')).toEqual(['a']);
    await advance(1000);
    expect(h.payloads('p')).toEqual(['a', 'b']);
    expect(h.statuses('d').at(-1)).toEqual({ fill: 'blue', shape: 'dot', text: '0' });
  });

  it('takes msg.delay (ms) in delayv mode, the configured time otherwise', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'delayv', timeout: '500', timeoutUnits: 'milliseconds' }));
    h.send('d', { payload: 'slow', delay: 300 });
    h.send('d', { payload: 'default' });
    h.send('d', { payload: 'fast', delay: '100' });
    await advance(100);
    expect(h.payloads('p')).toEqual(['fast']);
    await advance(200);
    expect(h.payloads('p')).toEqual(['fast', 'slow']);
    await advance(200);
    expect(h.payloads('p')).toEqual(['fast', 'slow', 'default']);
  });

  it('waits a random time within the range', async () => {
    h = startFlows();
    await h.deploy(
      delayFlow({ pauseType: 'random', randomFirst: '100', randomLast: '200', randomUnits: 'milliseconds' }),
    );
    for (let i = 0; i < 20; i++) h.send('d', { payload: i });
    await advance(99);
    expect(h.at('p')).toHaveLength(0);
    await advance(101);
    expect(h.at('p')).toHaveLength(20);
  });

  it('drops held messages on msg.reset and sends them at once on msg.flush (all, or a count)', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'delay', timeout: '10', timeoutUnits: 'seconds' }));
    h.send('d', { payload: 1 });
    h.send('d', { payload: 2 });
    await h.runtime.idle();
    h.send('d', { reset: true });
    await advance(10_000);
    expect(h.at('p')).toHaveLength(0);
    for (const payload of [3, 4, 5]) h.send('d', { payload });
    await h.runtime.idle();
    h.send('d', { flush: 2 });
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual([3, 4]);
    h.send('d', { flush: true });
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual([3, 4, 5]);
    await advance(10_000);
    expect(h.payloads('p')).toEqual([3, 4, 5]); // flushed messages are not sent again
  });
});

describe('delay: rate limit, all messages', () => {
  it('queues and releases one message per interval; msg.toFront jumps the queue', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'rate', rate: '1', nbRateUnits: '2', rateUnits: 'second', drop: false }));
    h.send('d', { payload: 'a' });
    h.send('d', { payload: 'b' });
    h.send('d', { payload: 'c' });
    h.send('d', { payload: 'urgent', toFront: true });
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual(['a']);
    await advance(1999);
    expect(h.payloads('p')).toEqual(['a']);
    await advance(1);
    expect(h.payloads('p')).toEqual(['a', 'urgent']);
    await advance(4000);
    expect(h.payloads('p')).toEqual(['a', 'urgent', 'b', 'c']);
    await advance(600);
    expect(h.statuses('d').at(-1)).toEqual({ fill: 'blue', shape: 'dot', text: '0' });
  });

  it('lets msg.rate change the interval when allowed, and msg.reset restore it', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'rate', rate: '1', rateUnits: 'second', allowrate: true }));
    h.send('d', { payload: 1 });
    h.send('d', { payload: 2, rate: 100 });
    h.send('d', { payload: 3 });
    await h.runtime.idle();
    await advance(200);
    expect(h.payloads('p')).toEqual([1, 2, 3]);
  });

  it('reports an error and drops the queue beyond nodeMessageBufferMaxLength', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows({ nodeMessageBufferMaxLength: 2 });
    await h.deploy([
      ...delayFlow({ pauseType: 'rate', rate: '1' }),
      { id: 'c', type: 'catch', z: 't1', scope: null, wires: [['errs']] },
      probe('errs'),
    ]);
    for (const payload of [1, 2, 3, 4]) h.send('d', { payload });
    await h.runtime.idle();
    expect(h.at('errs').map((m) => [m.payload, (m['error'] as { message: string }).message])).toEqual([
      [4, 'too many pending messages in delay node'],
    ]);
    await advance(5000);
    expect(h.payloads('p')).toEqual([1]);
  });

  it('drops intermediate messages, or sends them to the second output', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'rate', rate: '5', rateUnits: 'second', drop: true }, 2));
    for (const payload of [1, 2, 3]) h.send('d', { payload });
    await h.settle();
    expect(h.payloads('p')).toEqual([1]);
    expect(h.payloads('dropped')).toEqual([2, 3]);
    await sleep(220);
    h.send('d', { payload: 4 });
    h.send('d', { payload: 5 });
    await h.settle();
    expect(h.payloads('p')).toEqual([1, 4]);
    expect(h.payloads('dropped')).toEqual([2, 3, 5]);
  });

  it('keeps its queue across a deploy that does not restart it', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    const flow = delayFlow({ pauseType: 'rate', rate: '1' });
    await h.deploy(flow);
    for (const payload of [1, 2]) h.send('d', { payload });
    await h.runtime.idle();
    await h.runtime.deploy([...flow, { id: 'other', type: 'junction', z: 't1', wires: [[]] }], 'nodes');
    await advance(1000);
    expect(h.payloads('p')).toEqual([1, 2]);
  });
});

describe('delay: close', () => {
  it('drops what it holds when removed by a deploy, and sends nothing afterwards', async () => {
    vi.useFakeTimers(fakeTimerOptions);
    h = startFlows();
    await h.deploy([
      tab(),
      { id: 'd', type: 'delay', z: 't1', pauseType: 'delay', timeout: '1', wires: [['p']] },
      { id: 'r', type: 'delay', z: 't1', pauseType: 'rate', rate: '1', wires: [['p']] },
      probe('p'),
    ]);
    h.send('d', { payload: 'held' });
    for (const payload of ['first', 'queued']) h.send('r', { payload });
    await h.runtime.idle();
    await h.runtime.deploy([tab(), probe('p')]);
    await advance(5000);
    expect(h.payloads('p')).toEqual(['first']);
    expect(
      h.runtime
        .metrics()
        .nodes.map((n) => n.id)
        .sort(),
    ).toEqual(['p']);
  });
});

describe('delay: rate limit per topic', () => {
  beforeEach(() => vi.useFakeTimers(fakeTimerOptions));

  it('keeps the latest message per topic and releases topics in turn', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'queue', rate: '1', drop: true }, 2));
    h.send('d', { topic: 'a', payload: 'a1' });
    h.send('d', { topic: 'b', payload: 'b1' });
    h.send('d', { topic: 'a', payload: 'a2' });
    h.send('d', { payload: 'no topic' });
    await h.runtime.idle();
    expect(h.payloads('dropped')).toEqual(['a1']);
    expect(h.payloads('p')).toEqual([]);
    await advance(1000);
    expect(h.payloads('p')).toEqual(['a2']);
    await advance(1000);
    expect(h.payloads('p')).toEqual(['a2', 'b1']);
    await advance(1000);
    expect(h.at('p').map((m) => [m.topic, m.payload])).toEqual([
      ['a', 'a2'],
      ['b', 'b1'],
      ['_none_', 'no topic'],
    ]);
  });

  it('in timed mode releases every topic each interval; reset and flush work on the held set', async () => {
    h = startFlows();
    await h.deploy(delayFlow({ pauseType: 'timed', rate: '1', drop: true }));
    h.send('d', { topic: 'a', payload: 1 });
    h.send('d', { topic: 'b', payload: 2 });
    await advance(1000);
    expect(h.payloads('p')).toEqual([1, 2]);
    h.send('d', { topic: 'a', payload: 3 });
    h.send('d', { reset: true });
    await advance(1000);
    expect(h.payloads('p')).toEqual([1, 2]);
    h.send('d', { topic: 'c', payload: 4 });
    h.send('d', { topic: 'd', payload: 5 });
    h.send('d', { flush: true });
    await h.runtime.idle();
    expect(h.payloads('p')).toEqual([1, 2, 4, 5]);
  });
});

describe('delay: config', () => {
  it('fails the deploy on bad properties, naming them', async () => {
    h = startFlows();
    await expect(h.deploy(delayFlow({ pauseType: 'later' }))).rejects.toThrow(/property "pauseType"/);
    await expect(h.deploy(delayFlow({ timeout: 'soon' }))).rejects.toThrow(/property "timeout"/);
    await expect(h.deploy(delayFlow({ pauseType: 'rate', rate: '0' }))).rejects.toThrow(/property "rate"/);
  });
});
