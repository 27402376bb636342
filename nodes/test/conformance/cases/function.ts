import { cases, catchAll, fn as functionNode, out, payloads, send } from './kit.js';

/** The node under test has a name, which the `source` of its errors shows. */
const fn = (func: string, extra: Record<string, unknown> = {}) => functionNode(func, { name: 'fn-under-test', ...extra });

export const functionCases = cases([
  {
    name: 'function: returns the modified message',
    flow: [fn('msg.payload = msg.payload * 2;\nmsg.topic = "doubled";\nreturn msg;'), out()],
    inputs: payloads('fn', 21),
    expect: { out: [{ payload: 42, topic: 'doubled' }] },
  },
  {
    name: 'function: returning null sends nothing',
    flow: [fn('if (msg.payload > 1) { return null; }\nreturn msg;'), out()],
    inputs: payloads('fn', 1, 2, 0),
    expect: { out: [{ payload: 1 }, { payload: 0 }] },
  },
  {
    name: 'function: returning undefined sends nothing',
    flow: [fn('msg.seen = true;'), out(), ...catchAll()],
    inputs: payloads('fn', 1),
    expect: { out: [] },
  },
  {
    name: 'function: multiple outputs by array position',
    flow: [fn('if (msg.payload % 2) return [null, msg];\nreturn [msg, null];', { outputs: 2, wires: [['even'], ['odd']] }), out('even'), out('odd')],
    inputs: payloads('fn', 1, 2, 3, 4),
    expect: { even: [{ payload: 2 }, { payload: 4 }], odd: [{ payload: 1 }, { payload: 3 }] },
  },
  {
    name: 'function: several messages on one output',
    flow: [fn('return [[{payload: 1}, {payload: 2}, null, {payload: 3}]];'), out()],
    inputs: payloads('fn', 0),
    expect: { out: [{ payload: 1 }, { payload: 2 }, { payload: 3 }] },
  },
  {
    name: 'function: array with a message for each of two outputs and a list on the second',
    flow: [fn('return [{payload: "a"}, [{payload: "b"}, {payload: "c"}]];', { outputs: 2, wires: [['o1'], ['o2']] }), out('o1'), out('o2')],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: node.send in a loop',
    flow: [fn('for (let i = 0; i < 3; i++) { node.send({ payload: i, topic: msg.topic }); }\nreturn null;'), out()],
    inputs: send('fn', { topic: 'loop', payload: 0 }),
  },
  {
    name: 'function: node.send clones the message by default',
    flow: [fn('node.send(msg);\nmsg.payload = "changed";\nnode.send(msg);\nreturn null;'), out()],
    inputs: payloads('fn', 'original'),
    expect: { out: [{ payload: 'original' }, { payload: 'changed' }] },
  },
  {
    name: 'function: asynchronous node.send and node.done',
    flow: [fn('setTimeout(() => { msg.payload = "later"; node.send(msg); node.done(); }, 10);'), out()],
    inputs: payloads('fn', 'now'),
    expect: { out: [{ payload: 'later' }] },
  },
  {
    name: 'function: async/await in the body',
    flow: [fn('await new Promise((r) => setTimeout(r, 5));\nmsg.payload = "awaited";\nreturn msg;'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: node context counter',
    flow: [fn('const n = (context.get("n") || 0) + 1;\ncontext.set("n", n);\nmsg.payload = n;\nreturn msg;'), out()],
    inputs: payloads('fn', 'a', 'b', 'c'),
    expect: { out: [{ payload: 1 }, { payload: 2 }, { payload: 3 }] },
  },
  {
    name: 'function: flow context shared with a change node',
    flow: [
      fn('flow.set("fromFn", msg.payload);\nreturn msg;'),
      { id: 'ch', type: 'change', rules: [{ t: 'set', p: 'read', pt: 'msg', to: 'fromFn', tot: 'flow' }], wires: [['out2']] },
      out(),
      out('out2'),
    ],
    inputs: [{ to: 'fn', msg: { payload: 'shared' } }, { to: 'ch', msg: { payload: 0 }, delayMs: 10 }],
  },
  {
    name: 'function: global context',
    flow: [fn('global.set("conformanceFnKey", (global.get("conformanceFnKey") || 0) + msg.payload);\nmsg.total = global.get("conformanceFnKey");\nreturn msg;'), out()],
    inputs: payloads('fn', 2, 3),
    isolated: true,
  },
  {
    name: 'function: context keys listing',
    flow: [fn('context.set("b", 1); context.set("a", 2);\nmsg.payload = context.keys().sort();\nreturn msg;'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: env.get reads the tab env',
    flow: [fn('msg.payload = env.get("FN_ENV");\nmsg.missing = env.get("FN_MISSING_VAR");\nreturn msg;'), out()],
    tabEnv: [{ name: 'FN_ENV', type: 'json', value: '{"k":[1,2]}' }],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: node id, name and outputs count',
    flow: [fn('msg.payload = { id: node.id, name: node.name, outputCount: node.outputCount };\nreturn msg;'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: thrown error reaches the catch node',
    flow: [fn('throw new Error("bad input " + msg.payload);'), out(), ...catchAll()],
    inputs: payloads('fn', 7),
  },
  {
    name: 'function: node.error with the message reaches the catch node',
    flow: [fn('node.error("custom failure", msg);\nreturn null;'), out(), ...catchAll()],
    inputs: payloads('fn', 'x'),
    expect: { errors: [{ payload: 'x', error: { message: 'custom failure', source: { id: 'fn', type: 'function', name: 'fn-under-test', count: 1 } } }] },
  },
  {
    name: 'function: node.error without a message is only logged',
    flow: [fn('node.error("logged only");\nreturn msg;'), out(), ...catchAll()],
    inputs: payloads('fn', 'x'),
  },
  {
    name: 'function: ReferenceError reports line and column',
    flow: [fn('const a = 1;\nreturn notDefined + a;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: uncaught error without a catch node is logged',
    flow: [fn('null.boom();'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: node.warn is logged',
    flow: [fn('node.warn("careful: " + msg.payload);\nreturn msg;'), out()],
    inputs: payloads('fn', 'a'),
    compare: { warnings: true },
  },
  {
    name: 'function: node.status is seen by a status node',
    flow: [
      fn('node.status({ fill: "green", shape: "dot", text: "got " + msg.payload });\nreturn null;'),
      { id: 'st', type: 'status', scope: null, wires: [['statuses']] },
      out(),
      out('statuses'),
    ],
    inputs: payloads('fn', 5),
  },
  {
    name: 'function: returning a new object keeps the input message id',
    flow: [fn('return { payload: "fresh" };'), out()],
    inputs: [{ to: 'fn', msg: { _msgid: 'in-msg-1', payload: 0 } }],
    compare: { msgid: true },
    expect: { out: [{ _msgid: 'in-msg-1', payload: 'fresh' }] },
  },
  {
    name: 'function: the same message to two outputs',
    flow: [fn('return [msg, msg];', { outputs: 2, wires: [['o1'], ['o2']] }), out('o1'), out('o2')],
    inputs: payloads('fn', { a: 1 }),
  },
  {
    name: 'function: on start code initialises context',
    flow: [fn('msg.payload = context.get("base") + msg.payload;\nreturn msg;', { initialize: 'context.set("base", 100);' }), out()],
    inputs: payloads('fn', 1),
    expect: { out: [{ payload: 101 }] },
  },
  {
    name: 'function: Buffer and JSON are available',
    flow: [fn('msg.payload = Buffer.from(JSON.stringify({ x: msg.payload }));\nmsg.len = msg.payload.length;\nreturn msg;'), out()],
    inputs: payloads('fn', 'é'),
  },
  {
    name: 'function: RED.util helpers',
    flow: [fn('const c = RED.util.cloneMessage(msg);\nc.payload.x = 2;\nmsg.clone = c.payload;\nmsg.prop = RED.util.getMessageProperty(msg, "payload.x");\nreturn msg;'), out()],
    inputs: payloads('fn', { x: 1 }),
  },
  {
    name: 'function: sending a non-object is an error',
    flow: [fn('return 5;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: an endless loop hits the time limit',
    flow: [fn('while (true) {}', { timeout: 0.05 }), out(), ...catchAll()],
    inputs: payloads('fn', 0),
    waitMs: 200,
  },
]);
