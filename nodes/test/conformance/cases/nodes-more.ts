import { cases, catchAll, change, fn, inject, json, join, out, outs, payloads, press, send, split, sw, template } from './kit.js';

/** More inject, change, debug and error-routing cases: JSONata in every place Node-RED allows it. */

const debug = (extra: Record<string, unknown>) => ({
  id: 'dbg', type: 'debug', name: '', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto', wires: [], ...extra,
});

export const injectMoreCases = cases([
  {
    name: 'inject: a JSONata property without an expression is skipped',
    flow: [inject([{ p: 'payload', v: 'x', vt: 'str' }, { p: 'calc', v: '', vt: 'jsonata' }]), out()],
    inputs: press,
  },
  {
    name: 'inject: JSONata reads properties set before it',
    flow: [inject([{ p: 'payload', v: '20', vt: 'num' }, { p: 'topic', v: 'calc', vt: 'str' }, { p: 'sum', v: 'payload + 1', vt: 'jsonata' }]), out()],
    inputs: press,
    expect: { out: [{ payload: 20, topic: 'calc', sum: 21 }] },
  },
  {
    name: 'inject: JSONata with $flowContext and $env',
    flow: [
      inject([{ p: 'payload', v: '[$flowContext("missing"), $env("INJ_ENV")]', vt: 'jsonata' }]),
      out(),
    ],
    tabEnv: [{ name: 'INJ_ENV', type: 'str', value: 'from tab' }],
    inputs: press,
  },
  {
    name: 'inject: a failing JSONata property is an error',
    flow: [inject([{ p: 'payload', v: '$number("abc")', vt: 'jsonata' }]), out(), ...catchAll()],
    inputs: press,
  },
  {
    name: 'inject: properties given by the editor button',
    flow: [inject([{ p: 'payload', v: 'configured', vt: 'str' }]), out()],
    inputs: [{ to: 'inj', msg: { __user_inject_props__: [{ p: 'payload', v: 'from button', vt: 'str' }, { p: 'n', v: '7', vt: 'num' }] } }],
    expect: { out: [{ payload: 'from button', n: 7 }] },
  },
]);

export const changeMoreCases = cases([
  {
    name: 'change: JSONata with $flowContext after setting flow context',
    flow: [
      change([
        { t: 'set', p: 'base', pt: 'flow', to: '10', tot: 'num' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'payload + $flowContext("base")', tot: 'jsonata' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 5),
    expect: { out: [{ payload: 15 }] },
  },
  {
    name: 'change: JSONata $env and the legacy msg. prefix',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: 'msg.payload & "-" & $env("CH_ENV")', tot: 'jsonata' }]), out()],
    tabEnv: [{ name: 'CH_ENV', type: 'str', value: 'tab' }],
    inputs: payloads('n1', 'v'),
    expect: { out: [{ payload: 'v-tab' }] },
  },
  {
    name: 'change: a failing JSONata rule stops the later rules and the message',
    flow: [
      change([
        { t: 'set', p: 'first', pt: 'msg', to: 'done', tot: 'str' },
        { t: 'set', p: 'payload', pt: 'msg', to: '$number("x")', tot: 'jsonata' },
        { t: 'set', p: 'third', pt: 'msg', to: 'never', tot: 'str' },
      ]),
      out(),
      ...catchAll(),
    ],
    inputs: payloads('n1', 1),
    expect: { out: [] },
  },
  {
    name: 'change: JSONata result into flow context',
    flow: [
      change([
        { t: 'set', p: 'doubled', pt: 'flow', to: 'payload * 2', tot: 'jsonata' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'doubled', tot: 'flow' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 21),
    expect: { out: [{ payload: 42 }] },
  },
  {
    name: 'change: JSONata $clone and object construction',
    flow: [change([{ t: 'set', p: 'copy', pt: 'msg', to: '$merge([$clone(payload), {"added": true}])', tot: 'jsonata' }]), out()],
    inputs: payloads('n1', { a: 1 }),
  },
  {
    name: 'change: move to flow context and delete from it',
    flow: [
      change([
        { t: 'move', p: 'payload', pt: 'msg', to: 'kept', tot: 'flow' },
        { t: 'set', p: 'back', pt: 'msg', to: 'kept', tot: 'flow' },
        { t: 'delete', p: 'kept', pt: 'flow' },
        { t: 'set', p: 'after', pt: 'msg', to: 'kept', tot: 'flow' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 'moving'),
  },
  {
    name: 'change: deep copy of a Date and an array',
    flow: [
      fn('msg.when = new Date(5);\nmsg.list = [1, [2]];\nreturn msg;', { wires: [['n1']] }),
      change([
        { t: 'set', p: 'whenCopy', pt: 'msg', to: 'when', tot: 'msg', dc: true },
        { t: 'set', p: 'listCopy', pt: 'msg', to: 'list', tot: 'msg', dc: true },
      ]),
      out(),
    ],
    inputs: payloads('fn', 0),
  },
]);

export const debugMoreCases = cases([
  {
    name: 'debug: status from a JSONata expression',
    flow: [
      debug({ tosidebar: false, tostatus: true, statusType: 'jsonata', statusVal: '"n=" & $string(payload)' }),
      { id: 'st', type: 'status', scope: ['dbg'], wires: [['status']] },
      out('status'),
    ],
    inputs: payloads('dbg', 3),
  },
  {
    name: 'debug: a failing JSONata expression is logged',
    flow: [debug({ complete: '$number("abc")', targetType: 'jsonata' }), ...catchAll()],
    inputs: payloads('dbg', 1),
  },
  {
    name: 'debug: status of another property and message counter',
    flow: [
      debug({ id: 'd1', tosidebar: false, tostatus: true, statusType: 'msg', statusVal: 'topic' }),
      debug({ id: 'd2', tosidebar: false, tostatus: true, statusType: 'counter' }),
      { id: 'st', type: 'status', scope: ['d1', 'd2'], wires: [['status']] },
      out('status'),
    ],
    // The counter's status is rate limited from the node's start: the first one may wait 200 ms.
    inputs: [...send('d1', { payload: 1, topic: 'topic text' }), ...payloads('d2', 1)],
    waitMs: 300,
    compare: { order: 'unordered' },
  },
  {
    name: 'debug: status shows msg.error of a caught message',
    flow: [
      fn('throw new Error("shown");', { wires: [[]] }),
      { id: 'catch', type: 'catch', scope: ['fn'], uncaught: false, wires: [['dbg']] },
      debug({ tosidebar: false, tostatus: true, statusType: 'auto' }),
      { id: 'st', type: 'status', scope: ['dbg'], wires: [['status']] },
      out('status'),
    ],
    inputs: payloads('fn', 1),
  },
]);

export const routingMoreCases = cases([
  {
    name: 'catch: errors of change, json and template nodes',
    flow: [
      change([{ t: 'set', p: 'payload', pt: 'msg', to: '$number(payload)', tot: 'jsonata' }], { wires: [['js']] }),
      json(),
      out(),
      ...catchAll(),
    ],
    inputs: [...payloads('n1', 'abc'), ...payloads('js', '{bad')],
  },
  {
    name: 'complete: not sent when a json node fails',
    flow: [
      json(),
      { id: 'cmp', type: 'complete', scope: ['js'], uncaught: false, wires: [['completed']] },
      out(),
      out('completed'),
    ],
    inputs: payloads('js', '{"ok":1}', '{bad'),
    compare: { errors: false },
  },
  {
    name: 'status: a template node has no status, a function node does',
    flow: [
      fn('node.status({ text: "fn " + msg.payload });\nreturn msg;', { wires: [['tp']] }),
      template('{{payload}}!', { name: 'tp' }),
      { id: 'st', type: 'status', scope: null, wires: [['statuses']] },
      out(),
      out('statuses'),
    ],
    inputs: payloads('fn', 'x'),
  },
]);

/** JSONata in the other places Node-RED's editor offers it: switch values and bounds, join's initial value. */
export const jsonataPlacesCases = cases([
  {
    name: 'switch: JSONata values for comparisons and between bounds',
    flow: [
      sw([
        { t: 'gt', v: '$number("5")', vt: 'jsonata' },
        { t: 'btwn', v: '1 + 1', vt: 'jsonata', v2: 'payload * 0 + 4', v2t: 'jsonata' },
        { t: 'eq', v: 'topic', vt: 'jsonata' },
      ]),
      ...outs(3),
    ],
    inputs: send('sw', { payload: 7 }, { payload: 3, topic: 'x' }, { payload: 'same', topic: 'same' }),
  },
  {
    name: 'switch: sequence head count from JSONata',
    flow: [
      split({ wires: [['sw']] }),
      sw([{ t: 'head', v: '1 + 1', vt: 'jsonata' }, { t: 'else' }]),
      ...outs(2),
    ],
    inputs: payloads('sp', [10, 20, 30]),
  },
  {
    name: 'switch: property from JSONata with a failing expression',
    flow: [sw([{ t: 'eq', v: 'x', vt: 'str' }, { t: 'else' }], { property: '$number(payload)', propertyType: 'jsonata' }), ...outs(2), ...catchAll()],
    inputs: payloads('sw', 'abc', '4'),
  },
  {
    name: 'join: reduce with a JSONata initial value',
    flow: [
      split({ wires: [['jn']] }),
      join({ mode: 'reduce', reduceExp: '$A & payload', reduceInit: '"start:"', reduceInitType: 'jsonata' }),
      out(),
    ],
    inputs: payloads('sp', ['a', 'b']),
  },
]);
