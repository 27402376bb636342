import { cases, catchAll, change, out, payloads, send } from './kit.js';

export const changeCases = cases([
  {
    name: 'change: set payload to a string',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: 'hello', tot: 'str' }]), out()],
    inputs: payloads('n1', 1),
    expect: { out: [{ payload: 'hello' }] },
  },
  {
    name: 'change: set number, boolean, json, bin',
    flow: [
      change([
        { t: 'set', p: 'a', pt: 'msg', to: '42', tot: 'num' },
        { t: 'set', p: 'b', pt: 'msg', to: 'true', tot: 'bool' },
        { t: 'set', p: 'c', pt: 'msg', to: '{"x":[1,2,{"y":null}]}', tot: 'json' },
        { t: 'set', p: 'd', pt: 'msg', to: '[1,2,255]', tot: 'bin' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 'x'),
  },
  {
    name: 'change: set a deep property that does not exist yet',
    flow: [change([{ t: 'set', p: 'a.b[0].c', pt: 'msg', to: 'deep', tot: 'str' }]), out()],
    inputs: payloads('n1', 1),
  },
  {
    name: 'change: set from another msg property (reference, not copy)',
    flow: [
      change([
        { t: 'set', p: 'copy', pt: 'msg', to: 'payload', tot: 'msg' },
        { t: 'set', p: 'payload.changed', pt: 'msg', to: 'yes', tot: 'str' },
      ]),
      out(),
    ],
    inputs: payloads('n1', { orig: 1 }),
  },
  {
    name: 'change: set from another msg property with deep copy',
    flow: [
      change([
        { t: 'set', p: 'copy', pt: 'msg', to: 'payload', tot: 'msg', dc: true },
        { t: 'set', p: 'payload.changed', pt: 'msg', to: 'yes', tot: 'str' },
      ]),
      out(),
    ],
    inputs: payloads('n1', { orig: 1 }),
  },
  {
    name: 'change: set with a JSONata expression',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: 'payload.a * 2 + $count(payload.list)', tot: 'jsonata' }]), out()],
    inputs: payloads('n1', { a: 5, list: [1, 2, 3] }),
    expect: { out: [{ payload: 13 }] },
  },
  {
    name: 'change: JSONata string functions and $exists',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: '{"up": $uppercase(topic), "has": $exists(payload.q), "join": $join(payload.w, "-")}', tot: 'jsonata' }]), out()],
    inputs: send('n1', { topic: 'abc', payload: { w: ['x', 'y'] } }),
  },
  {
    name: 'change: set flow context then read it back',
    flow: [
      change([
        { t: 'set', p: 'counter', pt: 'flow', to: 'payload', tot: 'msg' },
        { t: 'set', p: 'fromFlow', pt: 'msg', to: 'counter', tot: 'flow' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 7, 8),
  },
  {
    name: 'change: set global context then read it back',
    flow: [
      change([
        { t: 'set', p: 'conformanceChangeKey', pt: 'global', to: 'payload', tot: 'msg' },
        { t: 'set', p: 'g', pt: 'msg', to: 'conformanceChangeKey', tot: 'global' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 'global-value'),
    isolated: true,
  },
  {
    name: 'change: set from env variable of the tab',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: 'CONF_ENV', tot: 'env' }]), out()],
    tabEnv: [{ name: 'CONF_ENV', type: 'str', value: 'from-tab' }],
    inputs: payloads('n1', 1),
    expect: { out: [{ payload: 'from-tab' }] },
  },
  {
    name: 'change: set a string with ${env} substitution',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: 'CONF_NUM', tot: 'env' }, { t: 'set', p: 'topic', pt: 'msg', to: 'x-${CONF_NUM}-y', tot: 'env' }]), out()],
    tabEnv: [{ name: 'CONF_NUM', type: 'num', value: '12' }],
    inputs: payloads('n1', 1),
  },
  {
    name: 'change: set timestamp (date)',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: '', tot: 'date' }]), out()],
    inputs: payloads('n1', 'x'),
    compare: { typeOnly: ['payload'] },
  },
  {
    name: 'change: change a substring everywhere',
    flow: [change([{ t: 'change', p: 'payload', pt: 'msg', from: 'o', fromt: 'str', to: '0', tot: 'str' }]), out()],
    inputs: payloads('n1', 'foo boo'),
    expect: { out: [{ payload: 'f00 b00' }] },
  },
  {
    name: 'change: change with a regular expression and capture group',
    flow: [change([{ t: 'change', p: 'payload', pt: 'msg', from: '(\\d+)-(\\d+)', fromt: 're', to: '$2:$1', tot: 'str' }]), out()],
    inputs: payloads('n1', 'a 12-34 b 5-6'),
  },
  {
    name: 'change: change a whole number value to a number',
    flow: [change([{ t: 'change', p: 'payload', pt: 'msg', from: '5', fromt: 'num', to: '50', tot: 'num' }]), out()],
    inputs: payloads('n1', 5, 6, '5'),
  },
  {
    name: 'change: change a boolean value',
    flow: [change([{ t: 'change', p: 'payload', pt: 'msg', from: 'true', fromt: 'bool', to: 'yes', tot: 'str' }]), out()],
    inputs: payloads('n1', true, false),
  },
  {
    name: 'change: change whole string to a number when it matches entirely',
    flow: [change([{ t: 'change', p: 'payload', pt: 'msg', from: 'abc', fromt: 'str', to: '1', tot: 'num' }]), out()],
    inputs: payloads('n1', 'abc', 'abcd'),
  },
  {
    name: 'change: change on a missing property does nothing',
    flow: [change([{ t: 'change', p: 'missing', pt: 'msg', from: 'a', fromt: 'str', to: 'b', tot: 'str' }]), out()],
    inputs: payloads('n1', 'a'),
  },
  {
    name: 'change: delete properties',
    flow: [change([{ t: 'delete', p: 'payload.a', pt: 'msg' }, { t: 'delete', p: 'topic', pt: 'msg' }]), out()],
    inputs: send('n1', { topic: 't', payload: { a: 1, b: 2 } }),
  },
  {
    name: 'change: move a property',
    flow: [change([{ t: 'move', p: 'payload', pt: 'msg', to: 'data.value', tot: 'msg' }]), out()],
    inputs: payloads('n1', { a: 1 }),
  },
  {
    name: 'change: move onto a child of itself',
    flow: [change([{ t: 'move', p: 'payload', pt: 'msg', to: 'payload.inner', tot: 'msg' }]), out()],
    inputs: payloads('n1', 'v'),
  },
  {
    name: 'change: rules run in order',
    flow: [
      change([
        { t: 'set', p: 'payload', pt: 'msg', to: 'a', tot: 'str' },
        { t: 'change', p: 'payload', pt: 'msg', from: 'a', fromt: 'str', to: 'b', tot: 'str' },
        { t: 'set', p: 'topic', pt: 'msg', to: 'payload', tot: 'msg' },
        { t: 'delete', p: 'payload', pt: 'msg' },
      ]),
      out(),
    ],
    inputs: payloads('n1', 1),
  },
  {
    name: 'change: invalid JSONata at run time is reported',
    flow: [change([{ t: 'set', p: 'payload', pt: 'msg', to: '$number("abc") + $undefinedFn()', tot: 'jsonata' }]), out(), ...catchAll()],
    inputs: payloads('n1', 1),
  },
  {
    name: 'change: set msg property to a Buffer payload keeps bytes',
    flow: [change([{ t: 'set', p: 'copy', pt: 'msg', to: 'payload', tot: 'msg', dc: true }]), out()],
    inputs: [{ to: 'n1', msg: { payload: Buffer.from([1, 2, 3]) } }],
  },
]);
