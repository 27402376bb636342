import { cases, catchAll, fn, out, payloads } from './kit.js';

/** Function node cases beyond the basics: error shapes, setup code, timers, node API details. */

export const functionMoreCases = cases([
  {
    name: 'function: ReferenceError inside a loop reports the column of the user code',
    flow: [fn('let total = 0;\nfor (let i = 0; i < 2; i++) { total += i; total += notDefinedInLoop; }\nreturn msg;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: ReferenceError inside an inner function has no position',
    flow: [fn('function inner() {\n  return missingName;\n}\nmsg.payload = inner();\nreturn msg;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: a TypeError reaches the catch node with its message only',
    flow: [fn('const o = null;\nreturn o.field;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: throwing a string',
    flow: [fn('throw "plain text " + msg.payload;'), out(), ...catchAll()],
    inputs: payloads('fn', 3),
    expect: { errors: [{ error: { message: 'plain text 3' } }] },
  },
  {
    name: 'function: throwing an object without a stack',
    flow: [fn('throw { code: 42, reason: "custom" };'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: error after await in the body',
    flow: [fn('await Promise.resolve();\nthrow new Error("later " + msg.payload);'), out(), ...catchAll()],
    inputs: payloads('fn', 4),
  },
  {
    name: 'function: error with extra properties keeps code and cause',
    flow: [fn('const e = new Error("with code");\ne.code = "E_CUSTOM";\nthrow e;'), out(), ...catchAll()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: error in a setTimeout callback reaches the catch node',
    flow: [fn('setTimeout(() => { throw new Error("timer " + msg.payload); }, 5);\nreturn null;'), out(), ...catchAll()],
    inputs: payloads('fn', 9),
    waitMs: 60,
  },
  {
    name: 'function: node.error in a timer with the message',
    flow: [fn('setTimeout(() => { node.error("late " + msg.payload, msg); }, 5);\nreturn null;'), out(), ...catchAll()],
    inputs: payloads('fn', 2),
    waitMs: 60,
  },
  {
    name: 'function: setup code that throws is logged and messages are dropped',
    flow: [fn('return msg;', { initialize: 'throw new Error("setup failed");' }), out()],
    inputs: payloads('fn', 1, 2),
    expect: { out: [] },
  },
  {
    name: 'function: node.send from the setup code',
    flow: [fn('return msg;', { initialize: 'node.send({ payload: "from setup" });' }), out()],
    inputs: payloads('fn', 'later'),
  },
  {
    name: 'function: async setup code delays the first message',
    flow: [fn('msg.payload = context.get("ready");\nreturn msg;', { initialize: 'await new Promise((r) => setTimeout(r, 20));\ncontext.set("ready", "yes");' }), out()],
    inputs: payloads('fn', 0),
    waitMs: 80,
    expect: { out: [{ payload: 'yes' }] },
  },
  {
    name: 'function: node.send without cloning sends the same object',
    flow: [fn('node.send(msg, false);\nmsg.payload = "changed after send";\nreturn null;'), out()],
    inputs: payloads('fn', 'original'),
  },
  {
    name: 'function: node.send with an array per output',
    flow: [fn('node.send([null, [msg, { payload: "second" }]]);\nnode.done();', { outputs: 2, wires: [['o1'], ['o2']] }), out('o1'), out('o2')],
    inputs: payloads('fn', 'first'),
  },
  {
    name: 'function: node.outputCount and node.name',
    flow: [fn('msg.count = node.outputCount;\nmsg.name = node.name;\nreturn [msg, null, null];', { outputs: 3, name: 'named fn', wires: [['out'], [], []] }), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: env.get of the node id and name',
    flow: [fn('msg.id = env.get("NR_NODE_ID");\nmsg.name = env.get("NR_NODE_NAME");\nreturn msg;', { name: 'env reader' }), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: context set and get with callbacks',
    flow: [
      fn('flow.set("cb", msg.payload, function (err) {\n  flow.get("cb", function (err2, value) {\n    msg.payload = value * 10;\n    node.send(msg);\n    node.done();\n  });\n});'),
      out(),
    ],
    inputs: payloads('fn', 3),
    expect: { out: [{ payload: 30 }] },
  },
  {
    name: 'function: context.keys and flow.keys',
    flow: [fn('context.set("k1", 1);\ncontext.set("k2", 2);\nflow.set("fk", 3);\nmsg.keys = context.keys().sort();\nmsg.flowKeys = flow.keys();\nreturn msg;'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: node.status with a string and clearing it',
    flow: [
      fn('node.status(msg.payload ? { fill: "green", shape: "dot", text: "on " + msg.payload } : {});\nreturn msg;'),
      { id: 'st', type: 'status', scope: ['fn'], wires: [['statuses']] },
      out(),
      out('statuses'),
    ],
    inputs: payloads('fn', 1, 0),
  },
  {
    name: 'function: node.warn with an object and node.log',
    flow: [fn('node.warn({ a: msg.payload });\nnode.log("logged");\nreturn msg;'), out()],
    inputs: payloads('fn', 1),
    compare: { warnings: true },
  },
  {
    name: 'function: returning an array of arrays for one output',
    flow: [fn('return [[{ payload: 1 }, { payload: 2 }, null, { payload: 3 }]];'), out()],
    inputs: payloads('fn', 0),
    expect: { out: [{ payload: 1 }, { payload: 2 }, { payload: 3 }] },
  },
  {
    name: 'function: returning more entries than outputs',
    flow: [fn('return [msg, { payload: "extra" }];'), out(), ...catchAll()],
    inputs: payloads('fn', 'one'),
  },
  {
    name: 'function: a message with a Date and a spread Set',
    flow: [fn('msg.when = new Date(0);\nmsg.set = [...new Set([1, 1, 2])];\nreturn msg;'), out()],
    inputs: payloads('fn', 0),
  },
  {
    name: 'function: global context from a change node',
    isolated: true,
    flow: [
      { id: 'ch', type: 'change', rules: [{ t: 'set', p: 'shared', pt: 'global', to: 'payload', tot: 'msg' }], wires: [['fn']] },
      fn('msg.fromGlobal = global.get("shared");\nreturn msg;'),
      out(),
    ],
    inputs: payloads('ch', 'g-value'),
  },
]);
