import { cases, inject, out, press } from './kit.js';

export const injectCases = cases([
  {
    name: 'inject: string payload and topic',
    flow: [inject([{ p: 'payload' }, { p: 'topic', vt: 'str' }], { payload: 'hello', payloadType: 'str', topic: 'greeting' }), out()],
    inputs: press,
    expect: { out: [{ payload: 'hello', topic: 'greeting' }] },
  },
  {
    name: 'inject: number payload',
    flow: [inject([{ p: 'payload', v: '3.5', vt: 'num' }]), out()],
    inputs: press,
    expect: { out: [{ payload: 3.5 }] },
  },
  {
    name: 'inject: boolean payload',
    flow: [inject([{ p: 'payload', v: 'false', vt: 'bool' }]), out()],
    inputs: press,
  },
  {
    name: 'inject: json payload',
    flow: [inject([{ p: 'payload', v: '{"a":[1,"two",{"b":false}]}', vt: 'json' }]), out()],
    inputs: press,
  },
  {
    name: 'inject: buffer payload',
    flow: [inject([{ p: 'payload', v: '[104,105]', vt: 'bin' }]), out()],
    inputs: press,
    expect: { out: [{ payload: { $buffer: '6869' } }] },
  },
  {
    name: 'inject: timestamp payload (legacy payload/payloadType)',
    flow: [inject([{ p: 'payload' }, { p: 'topic', vt: 'str' }], { payload: '', payloadType: 'date' }), out()],
    inputs: press,
    compare: { typeOnly: ['payload'] },
  },
  {
    name: 'inject: ISO date and Date object payloads',
    flow: [inject([{ p: 'iso', v: 'iso', vt: 'date' }, { p: 'obj', v: 'object', vt: 'date' }]), out()],
    inputs: press,
    compare: { typeOnly: ['iso', 'obj'] },
  },
  {
    name: 'inject: JSONata payload',
    flow: [inject([{ p: 'payload', v: '$sum([1,2,3]) & "x"', vt: 'jsonata' }]), out()],
    inputs: press,
    expect: { out: [{ payload: '6x' }] },
  },
  {
    name: 'inject: env payload from the tab',
    flow: [inject([{ p: 'payload', v: 'INJ_ENV', vt: 'env' }]), out()],
    tabEnv: [{ name: 'INJ_ENV', type: 'str', value: 'tab-value' }],
    inputs: press,
  },
  {
    name: 'inject: flow context payload (empty)',
    flow: [inject([{ p: 'payload', v: 'nothing', vt: 'flow' }, { p: 'topic', v: 't', vt: 'str' }]), out()],
    inputs: press,
  },
  {
    name: 'inject: several properties, nested paths',
    flow: [
      inject([
        { p: 'payload', v: '1', vt: 'num' },
        { p: 'a.b.c', v: 'deep', vt: 'str' },
        { p: 'list', v: '[]', vt: 'json' },
        { p: 'copy', v: 'payload', vt: 'msg' },
      ]),
      out(),
    ],
    inputs: press,
  },
  {
    name: 'inject: fires once after deploy',
    flow: [inject([{ p: 'payload', v: 'once', vt: 'str' }], { once: true, onceDelay: 0.02 }), out()],
    inputs: [],
    waitMs: 150,
    expect: { out: [{ payload: 'once' }] },
  },
  {
    name: 'inject: repeats on an interval',
    // Ticks at 100 and 200 ms after deploy; the case ends between 235 and 300 ms.
    flow: [inject([{ p: 'payload', v: 'tick', vt: 'str' }], { repeat: '0.1' }), out()],
    inputs: [],
    waitMs: 200,
    expect: { out: [{ payload: 'tick' }, { payload: 'tick' }] },
  },
  {
    name: 'inject: properties of the incoming message are kept',
    flow: [inject([{ p: 'payload', v: 'p', vt: 'str' }]), out()],
    inputs: [{ to: 'inj', msg: { extra: 'kept', payload: 'replaced' } }],
  },
  {
    name: 'inject: empty string payload',
    flow: [inject([{ p: 'payload', v: '', vt: 'str' }, { p: 'topic', v: '', vt: 'str' }]), out()],
    inputs: press,
  },
]);
