import { batch, cases, change, out, payloads, send, split, trigger } from './kit.js';

/** Sequence and timing properties not covered elsewhere: batch options, trigger value types. */

export const sequenceMoreCases = cases([
  {
    name: 'batch: empty interval sends an empty message when allowed',
    // The interval runs from deploy (20 ms before the case starts): one empty message at 100 ms.
    flow: [batch({ mode: 'interval', interval: 0.1, allowEmptySequence: true }), out()],
    inputs: [],
    waitMs: 130,
    expect: { out: [{ payload: null }] },
  },
  {
    name: 'batch: count honouring the parts of incoming sequences',
    flow: [split({ wires: [['bt']] }), batch({ count: 2, honourParts: true }), out()],
    inputs: payloads('sp', 'a\nb\nc'),
  },
  {
    name: 'batch: count with overlap keeps the last messages',
    flow: [batch({ count: 3, overlap: 2 }), out()],
    inputs: payloads('bt', 1, 2, 3, 4, 5),
  },
  {
    name: 'split: array with a property name for each part',
    flow: [split({ addname: 'idx' }), out()],
    inputs: payloads('sp', ['x', 'y']),
  },
  {
    name: 'split: object parts keep the key in another property',
    flow: [split({ addname: 'key' }), out()],
    inputs: payloads('sp', { first: 1, second: { n: 2 } }),
  },
  {
    name: 'trigger: a timestamp and null as values',
    flow: [trigger({ op1: '', op1type: 'date', op2: '', op2type: 'nul', duration: '20' }), out()],
    inputs: payloads('tr', 'go'),
    waitMs: 60,
    compare: { typeOnly: ['payload'] },
  },
  {
    name: 'trigger: values from flow context and env',
    flow: [
      change([{ t: 'set', p: 'trig', pt: 'flow', to: 'ctx-value', tot: 'str' }], { id: 'ch', wires: [['tr']] }),
      trigger({ op1: 'trig', op1type: 'flow', op2: 'TRIG_ENV', op2type: 'env', duration: '20' }),
      out(),
    ],
    tabEnv: [{ name: 'TRIG_ENV', type: 'str', value: 'env-value' }],
    inputs: payloads('ch', 'go'),
    waitMs: 60,
    expect: { out: [{ payload: 'ctx-value' }, { payload: 'env-value' }] },
  },
  {
    name: 'trigger: per-topic reset by msg.reset',
    flow: [trigger({ bytopic: 'topic', op2: 'end', duration: '40' }), out()],
    inputs: [...send('tr', { topic: 'a', payload: 1 }, { topic: 'b', payload: 1 }), { to: 'tr', msg: { topic: 'a', reset: true }, delayMs: 5 }],
    waitMs: 80,
    compare: { order: 'unordered' },
  },
]);
