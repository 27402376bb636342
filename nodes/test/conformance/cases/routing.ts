import { cases, change as changeNode, fn, out, payloads, send } from './kit.js';

const failing = (id: string, message: string, wires: string[][] = [['out']]) => fn(`throw new Error(${JSON.stringify(message)} + msg.payload);`, { id, name: id, wires });
const change = (id: string, to: string, wires: string[][]) => changeNode([{ t: 'set', p: 'payload', pt: 'msg', to, tot: 'str' }], { id, wires });
const statusFn = (id: string, text: string) => fn(`node.status({ fill: 'blue', shape: 'ring', text: ${JSON.stringify(text)} + msg.payload });\nreturn msg;`, { id });

export const catchCases = cases([
  {
    name: 'catch: all errors of the tab',
    flow: [failing('f1', 'one '), failing('f2', 'two '), out(), { id: 'c', type: 'catch', name: 'all', scope: null, uncaught: false, wires: [['errors']] }, out('errors')],
    inputs: [{ to: 'f1', msg: { payload: 1 } }, { to: 'f2', msg: { payload: 2 } }],
  },
  {
    name: 'catch: scoped to one node',
    flow: [failing('f1', 'one '), failing('f2', 'two '), out(), { id: 'c', type: 'catch', scope: ['f2'], uncaught: false, wires: [['errors']] }, out('errors')],
    inputs: [{ to: 'f1', msg: { payload: 1 } }, { to: 'f2', msg: { payload: 2 } }],
  },
  {
    name: 'catch: uncaught-only catch node takes what others did not',
    flow: [
      failing('f1', 'one '),
      failing('f2', 'two '),
      out(),
      { id: 'c1', type: 'catch', scope: ['f1'], uncaught: false, wires: [['scoped']] },
      { id: 'c2', type: 'catch', scope: null, uncaught: true, wires: [['rest']] },
      out('scoped'),
      out('rest'),
    ],
    inputs: [{ to: 'f1', msg: { payload: 1 } }, { to: 'f2', msg: { payload: 2 } }],
  },
  {
    name: 'catch: two catch nodes both receive the error',
    flow: [failing('f1', 'e '), out(), { id: 'c1', type: 'catch', scope: null, wires: [['a']] }, { id: 'c2', type: 'catch', scope: null, wires: [['b']] }, out('a'), out('b')],
    inputs: payloads('f1', 1),
  },
  {
    name: 'catch: an existing msg.error is kept as msg._error',
    flow: [failing('f1', 'second '), out(), { id: 'c', type: 'catch', scope: null, wires: [['errors']] }, out('errors')],
    inputs: send('f1', { payload: 1, error: { message: 'first' } }),
  },
  {
    name: 'catch: errors of a catch flow that fails again are counted',
    // node.error rather than throw: Node-RED's function node replaces msg.error on a throw, which resets the count.
    flow: [
      { id: 'f1', type: 'function', name: 'f1', func: 'node.error("loop " + msg.payload, msg);\nreturn null;', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['out']] },
      out(),
      { id: 'c', type: 'catch', scope: ['f1'], wires: [['f1', 'errors']] },
      out('errors'),
    ],
    inputs: payloads('f1', 1),
    compare: { warnings: true },
  },
  {
    name: 'catch: scoped to its group',
    flow: [
      { id: 'grp', type: 'group', name: 'g', nodes: ['f1', 'cg'] },
      { ...failing('f1', 'in group '), g: 'grp' },
      failing('f2', 'outside '),
      out(),
      { id: 'cg', type: 'catch', g: 'grp', scope: 'group', wires: [['grouped']] },
      out('grouped'),
    ],
    inputs: [{ to: 'f1', msg: { payload: 1 } }, { to: 'f2', msg: { payload: 2 } }],
  },
]);

export const statusCases = cases([
  {
    name: 'status: all nodes of the tab',
    flow: [statusFn('s1', 'one '), statusFn('s2', 'two '), out(), { id: 'st', type: 'status', name: 'watch', scope: null, wires: [['status']] }, out('status')],
    inputs: [{ to: 's1', msg: { payload: 1 } }, { to: 's2', msg: { payload: 2 } }],
  },
  {
    name: 'status: scoped to one node',
    flow: [statusFn('s1', 'one '), statusFn('s2', 'two '), out(), { id: 'st', type: 'status', scope: ['s2'], wires: [['status']] }, out('status')],
    inputs: [{ to: 's1', msg: { payload: 1 } }, { to: 's2', msg: { payload: 2 } }],
  },
  {
    name: 'status: text that is not a string',
    flow: [
      { id: 's1', type: 'function', func: 'node.status({ text: msg.payload });\nnode.status({});\nreturn null;', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[]] },
      { id: 'st', type: 'status', scope: null, wires: [['status']] },
      out('status'),
    ],
    inputs: payloads('s1', 42),
  },
]);

export const completeCases = cases([
  {
    name: 'complete: after a change node is done',
    flow: [change('ch', 'done', [['out']]), out(), { id: 'cp', type: 'complete', scope: ['ch'], uncaught: false, wires: [['complete']] }, out('complete')],
    inputs: payloads('ch', 'start'),
  },
  {
    name: 'complete: after a function node calls node.done',
    flow: [
      { id: 'fn', type: 'function', func: 'setTimeout(() => { node.send(msg); node.done(); }, 5);', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['out']] },
      out(),
      { id: 'cp', type: 'complete', scope: ['fn'], wires: [['complete']] },
      out('complete'),
    ],
    inputs: payloads('fn', 'x'),
  },
  {
    name: 'complete: not sent when the node fails',
    flow: [failing('f1', 'x'), out(), { id: 'cp', type: 'complete', scope: ['f1'], wires: [['complete']] }, out('complete'), { id: 'c', type: 'catch', scope: null, wires: [['errors']] }, out('errors')],
    inputs: payloads('f1', 1),
  },
  {
    name: 'complete: after a delay releases the message',
    flow: [
      { id: 'dl', type: 'delay', pauseType: 'delay', timeout: '20', timeoutUnits: 'milliseconds', rate: '1', nbRateUnits: '1', rateUnits: 'second', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1, wires: [['out']] },
      out(),
      { id: 'cp', type: 'complete', scope: ['dl'], wires: [['complete']] },
      out('complete'),
    ],
    inputs: payloads('dl', 'x'),
    waitMs: 60,
    compare: { order: 'global' },
  },
  {
    name: 'complete: for several nodes',
    flow: [
      change('a', 'A', [['b']]),
      change('b', 'B', [['out']]),
      out(),
      { id: 'cp', type: 'complete', scope: ['a', 'b'], wires: [['complete']] },
      out('complete'),
    ],
    inputs: payloads('a', 0),
  },
]);

export const linkCases = cases([
  {
    name: 'link: out to in',
    flow: [
      { id: 'lo', type: 'link out', name: '', mode: 'link', links: ['li'], wires: [] },
      { id: 'li', type: 'link in', name: 'link-case-1', links: ['lo'], wires: [['out']] },
      out(),
    ],
    inputs: payloads('lo', 'through'),
    expect: { out: [{ payload: 'through' }] },
  },
  {
    name: 'link: out to two link in nodes',
    flow: [
      { id: 'lo', type: 'link out', mode: 'link', links: ['li1', 'li2'], wires: [] },
      { id: 'li1', type: 'link in', name: 'link-case-2a', links: ['lo'], wires: [['a']] },
      { id: 'li2', type: 'link in', name: 'link-case-2b', links: ['lo'], wires: [['b']] },
      out('a'),
      out('b'),
    ],
    inputs: payloads('lo', { v: 1 }),
  },
  {
    name: 'link: call and return',
    flow: [
      { id: 'call', type: 'link call', name: '', links: ['li'], linkType: 'static', timeout: '1', wires: [['out']] },
      { id: 'li', type: 'link in', name: 'link-case-3', links: [], wires: [['ch']] },
      change('ch', 'answered', [['ret']]),
      { id: 'ret', type: 'link out', mode: 'return', links: [], wires: [] },
      out(),
    ],
    inputs: send('call', { payload: 'question', topic: 'q' }),
    expect: { out: [{ payload: 'answered', topic: 'q' }] },
  },
  {
    name: 'link: call by name in msg.target',
    flow: [
      { id: 'call', type: 'link call', links: [], linkType: 'dynamic', timeout: '1', wires: [['out']] },
      { id: 'li', type: 'link in', name: 'link-case-dynamic-target', links: [], wires: [['ch']] },
      change('ch', 'dynamic', [['ret']]),
      { id: 'ret', type: 'link out', mode: 'return', links: [], wires: [] },
      out(),
    ],
    inputs: send('call', { payload: 'q', target: 'link-case-dynamic-target' }),
  },
  {
    name: 'link: call to an unknown target is an error',
    flow: [
      { id: 'call', type: 'link call', links: [], linkType: 'dynamic', timeout: '1', wires: [['out']] },
      out(),
      { id: 'c', type: 'catch', scope: null, wires: [['errors']] },
      out('errors'),
    ],
    inputs: send('call', { payload: 'q', target: 'no-such-link-in' }),
  },
  {
    name: 'link: call times out when nothing returns',
    flow: [
      { id: 'call', type: 'link call', links: ['li'], linkType: 'static', timeout: '0.05', wires: [['out']] },
      { id: 'li', type: 'link in', name: 'link-case-timeout', links: [], wires: [[]] },
      out(),
      { id: 'c', type: 'catch', scope: null, wires: [['errors']] },
      out('errors'),
    ],
    inputs: payloads('call', 'waiting'),
    waitMs: 120,
  },
  {
    name: 'link: out in return mode without a call is dropped',
    flow: [
      change('ch', 'x', [['ret', 'out']]),
      { id: 'ret', type: 'link out', mode: 'return', links: [], wires: [] },
      out(),
    ],
    inputs: payloads('ch', 0),
    compare: { warnings: true },
  },
]);

export const miscCases = cases([
  {
    name: 'comment: has no effect on the flow',
    flow: [{ id: 'cm', type: 'comment', name: 'a note', info: 'some text' }, change('ch', 'ok', [['out']]), out()],
    inputs: payloads('ch', 0),
    expect: { out: [{ payload: 'ok' }] },
  },
  {
    name: 'junction: passes messages on to every wire',
    flow: [change('ch', 'j', [['jn']]), { id: 'jn', type: 'junction', wires: [['a', 'b']] }, out('a'), out('b')],
    inputs: payloads('ch', 0),
  },
  {
    name: 'junction: chained junctions',
    flow: [{ id: 'j1', type: 'junction', wires: [['j2']] }, { id: 'j2', type: 'junction', wires: [['out']] }, out()],
    inputs: payloads('j1', { through: true }),
  },
  {
    name: 'wires: fan-out gives each wire its own copy',
    flow: [
      change('ch', 'fan', [['m1', 'm2']]),
      { id: 'm1', type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'changed by m1', tot: 'str' }], wires: [['a']] },
      { id: 'm2', type: 'change', rules: [{ t: 'set', p: 'seen', pt: 'msg', to: 'payload', tot: 'msg' }], wires: [['b']] },
      out('a'),
      out('b'),
    ],
    inputs: payloads('ch', 0),
  },
  {
    name: 'msgid: kept through change, switch and delay, and on fan-out copies',
    flow: [
      change('ch', 'c', [['sw']]),
      { id: 'sw', type: 'switch', property: 'payload', propertyType: 'msg', rules: [{ t: 'eq', v: 'c', vt: 'str' }], checkall: 'true', repair: false, outputs: 1, wires: [['dl', 'a']] },
      { id: 'dl', type: 'delay', pauseType: 'delay', timeout: '5', timeoutUnits: 'milliseconds', rate: '1', nbRateUnits: '1', rateUnits: 'second', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1, wires: [['b']] },
      out('a'),
      out('b'),
    ],
    inputs: [{ to: 'ch', msg: { _msgid: 'given-id', payload: 0 } }],
    compare: { msgid: true },
    expect: { a: [{ _msgid: 'given-id' }], b: [{ _msgid: 'given-id' }] },
  },
  {
    name: 'msgid: split parts and the joined result',
    flow: [
      { id: 'sp', type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', wires: [['jn', 'parts']] },
      { id: 'jn', type: 'join', mode: 'auto', build: 'object', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: '', wires: [['joined']] },
      out('parts'),
      out('joined'),
    ],
    inputs: [{ to: 'sp', msg: { _msgid: 'split-me', payload: [1, 2] } }],
    compare: { msgid: true },
  },
  {
    name: 'wires: a disabled node is skipped',
    flow: [change('ch', 'on', [['dis', 'out']]), { ...change('dis', 'off', [['out']]), d: true }, out()],
    inputs: payloads('ch', 0),
  },
]);

export const debugCases = cases([
  {
    name: 'debug: payload to the sidebar',
    flow: [{ id: 'dbg', type: 'debug', name: 'show', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto' }],
    inputs: send('dbg', { payload: 'hello', topic: 't' }),
  },
  {
    name: 'debug: complete message',
    flow: [{ id: 'dbg', type: 'debug', active: true, tosidebar: true, console: false, tostatus: false, complete: 'true', targetType: 'full' }],
    inputs: send('dbg', { payload: { a: 1 }, topic: 't', _msgid: 'fixed-id' }),
  },
  {
    name: 'debug: another property, numbers, buffers and objects',
    flow: [{ id: 'dbg', type: 'debug', active: true, tosidebar: true, console: false, tostatus: false, complete: 'data', targetType: 'msg' }],
    inputs: [{ to: 'dbg', msg: { data: 5 } }, { to: 'dbg', msg: { data: Buffer.from('hi') } }, { to: 'dbg', msg: { data: { nested: [1, { x: true }] } } }, { to: 'dbg', msg: { data: null } }],
  },
  {
    name: 'debug: JSONata expression',
    flow: [{ id: 'dbg', type: 'debug', active: true, tosidebar: true, console: false, tostatus: false, complete: '$string(payload * 2) & topic', targetType: 'jsonata' }],
    inputs: send('dbg', { payload: 21, topic: '!' }),
  },
  {
    name: 'debug: inactive node shows nothing',
    flow: [
      { id: 'dbg', type: 'debug', active: false, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg' },
      change('ch', 'x', [['dbg', 'out']]),
      out(),
    ],
    inputs: payloads('ch', 0),
  },
  {
    name: 'debug: node status shows the value',
    flow: [
      { id: 'dbg', type: 'debug', active: true, tosidebar: false, console: false, tostatus: true, complete: 'payload', targetType: 'msg', statusVal: 'payload', statusType: 'auto' },
      { id: 'st', type: 'status', scope: ['dbg'], wires: [['status']] },
      out('status'),
    ],
    inputs: payloads('dbg', 'shown in status', { a: 1 }),
  },
]);
