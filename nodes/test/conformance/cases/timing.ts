import { cases, catchAll, out, payloads, send, trigger } from './kit.js';

const delay = (extra: Record<string, unknown>) => ({
  id: 'dl', type: 'delay', name: '', pauseType: 'delay', timeout: '30', timeoutUnits: 'milliseconds', rate: '1', nbRateUnits: '1', rateUnits: 'second',
  randomFirst: '1', randomLast: '5', randomUnits: 'milliseconds', drop: false, allowrate: false, outputs: 1, wires: [['out']], ...extra,
});
/** Rate limit: 10 messages a second, one every 100 ms. */
const rate = { pauseType: 'rate', rate: '10', nbRateUnits: '1', rateUnits: 'second' };

export const delayCases = cases([
  {
    name: 'delay: fixed delay',
    flow: [delay({ timeout: '60' }), out()],
    inputs: payloads('dl', 1, 2),
    waitMs: 100,
    compare: { timingToleranceMs: 40 },
    expect: { out: [{ payload: 1 }, { payload: 2 }] },
  },
  {
    name: 'delay: delay set by msg.delay',
    flow: [delay({ pauseType: 'delayv', timeout: '200' }), out()],
    inputs: send('dl', { payload: 'slow', delay: 100 }, { payload: 'fast', delay: 10 }),
    waitMs: 140,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'delay: random delay',
    flow: [delay({ pauseType: 'random' }), out()],
    inputs: payloads('dl', 'r'),
    waitMs: 40,
  },
  {
    name: 'delay: msg.reset drops delayed messages',
    flow: [delay({ timeout: '50' }), out()],
    inputs: [...payloads('dl', 1, 2), { to: 'dl', msg: { reset: true }, delayMs: 10 }],
    waitMs: 80,
    expect: { out: [] },
  },
  {
    name: 'delay: msg.flush sends delayed messages now',
    flow: [delay({ timeout: '200' }), out()],
    inputs: [...payloads('dl', 1, 2), { to: 'dl', msg: { flush: true }, delayMs: 10 }],
    waitMs: 40,
    expect: { out: [{ payload: 1 }, { payload: 2 }] },
  },
  {
    name: 'delay: rate limit queues and releases one per interval',
    flow: [delay(rate), out()],
    inputs: payloads('dl', 1, 2, 3),
    waitMs: 250,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'delay: rate limit dropping intermediate messages',
    flow: [delay({ ...rate, drop: true }), out()],
    inputs: [...payloads('dl', 1, 2, 3), { to: 'dl', msg: { payload: 4 }, delayMs: 130 }],
    waitMs: 40,
  },
  {
    name: 'delay: rate limit sending intermediate messages to a second output',
    flow: [delay({ ...rate, drop: true, outputs: 2, wires: [['out'], ['dropped']] }), out(), out('dropped')],
    inputs: payloads('dl', 1, 2, 3),
    waitMs: 30,
  },
  {
    name: 'delay: rate limit flush releases the queue',
    flow: [delay(rate), out()],
    inputs: [...payloads('dl', 1, 2, 3), { to: 'dl', msg: { flush: true } }],
    waitMs: 30,
  },
  {
    name: 'delay: rate limit per topic (queue mode)',
    flow: [delay({ ...rate, pauseType: 'queue' }), out()],
    inputs: send('dl', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }, { topic: 'a', payload: 2 }),
    waitMs: 250,
    compare: { order: 'unordered' },
  },
  {
    name: 'delay: release all topics per interval (timed mode)',
    flow: [delay({ ...rate, pauseType: 'timed' }), out()],
    inputs: send('dl', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }, { topic: 'a', payload: 2 }),
    waitMs: 160,
    compare: { order: 'unordered' },
  },
  {
    name: 'delay: rate override by msg.rate',
    flow: [delay({ ...rate, rate: '1', allowrate: true }), out()],
    inputs: send('dl', { payload: 1, rate: 80 }, { payload: 2, rate: 80 }),
    waitMs: 130,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'delay: status shows the queue length',
    flow: [delay(rate), out(), { id: 'st', type: 'status', scope: ['dl'], wires: [['status']] }, out('status')],
    inputs: payloads('dl', 1, 2, 3),
    waitMs: 260,
  },
]);

export const triggerCases = cases([
  {
    name: 'trigger: send then send again after the duration',
    flow: [trigger({}), out()],
    inputs: payloads('tr', 'x'),
    waitMs: 80,
    compare: { timingToleranceMs: 40 },
    expect: { out: [{ payload: '1' }, { payload: '0' }] },
  },
  {
    name: 'trigger: ignores messages while running',
    flow: [trigger({}), out()],
    inputs: [...payloads('tr', 'a', 'b'), { to: 'tr', msg: { payload: 'c' }, delayMs: 60 }],
    waitMs: 70,
  },
  {
    name: 'trigger: original payload, then nothing',
    flow: [trigger({ op1type: 'pay', op2type: 'nul' }), out()],
    inputs: payloads('tr', { keep: 1 }),
    waitMs: 60,
  },
  {
    name: 'trigger: number, JSON and boolean values',
    flow: [trigger({ op1: '5', op1type: 'num', op2: '{"done":true}', op2type: 'json' }), out()],
    inputs: payloads('tr', 0),
    waitMs: 60,
  },
  {
    name: 'trigger: second message is the latest payload',
    flow: [trigger({ op1: '', op1type: 'nul', op2type: 'payl' }), out()],
    inputs: payloads('tr', 'first', 'second'),
    waitMs: 60,
  },
  {
    name: 'trigger: extend the delay on each message',
    flow: [trigger({ extend: true, duration: '60' }), out()],
    inputs: [{ to: 'tr', msg: { payload: 'a' } }, { to: 'tr', msg: { payload: 'b' }, delayMs: 30 }, { to: 'tr', msg: { payload: 'c' }, delayMs: 30 }],
    waitMs: 100,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'trigger: msg.reset stops it',
    flow: [trigger({}), out()],
    inputs: [{ to: 'tr', msg: { payload: 'a' } }, { to: 'tr', msg: { reset: true }, delayMs: 10 }],
    waitMs: 60,
    expect: { out: [{ payload: '1' }] },
  },
  {
    name: 'trigger: reset by payload value',
    flow: [trigger({ reset: 'stop' }), out()],
    inputs: [{ to: 'tr', msg: { payload: 'a' } }, { to: 'tr', msg: { payload: 'stop' }, delayMs: 10 }, { to: 'tr', msg: { payload: 'b' }, delayMs: 5 }],
    waitMs: 60,
  },
  {
    name: 'trigger: per topic',
    flow: [trigger({ bytopic: 'topic' }), out()],
    inputs: send('tr', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }, { topic: 'a', payload: 2 }),
    waitMs: 70,
    compare: { order: 'unordered' },
  },
  {
    name: 'trigger: wait for reset (no timeout)',
    flow: [trigger({ duration: '0' }), out()],
    inputs: [...payloads('tr', 'a', 'b'), { to: 'tr', msg: { reset: true }, delayMs: 20 }, { to: 'tr', msg: { payload: 'c' } }],
    waitMs: 30,
  },
  {
    name: 'trigger: resend every interval while running',
    flow: [trigger({ duration: '-30', op1: 'tick' }), out()],
    inputs: [{ to: 'tr', msg: { payload: 'go' } }, { to: 'tr', msg: { reset: true }, delayMs: 75 }],
    waitMs: 20,
  },
  {
    name: 'trigger: second message on a second output',
    flow: [trigger({ outputs: 2, wires: [['out'], ['second']] }), out(), out('second')],
    inputs: payloads('tr', 'x'),
    waitMs: 70,
  },
  {
    name: 'trigger: delay overridden by msg.delay',
    flow: [trigger({ overrideDelay: true, duration: '500' }), out()],
    inputs: send('tr', { payload: 'x', delay: 20 }),
    waitMs: 60,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'trigger: duration in seconds units with a fraction',
    flow: [trigger({ duration: '0.08', units: 's' }), out()],
    inputs: payloads('tr', 'x'),
    waitMs: 120,
    compare: { timingToleranceMs: 40 },
  },
  {
    name: 'trigger: status node sees the running state',
    flow: [trigger({}), out(), { id: 'st', type: 'status', scope: ['tr'], wires: [['status']] }, out('status'), ...catchAll()],
    inputs: payloads('tr', 'x'),
    waitMs: 70,
  },
]);
