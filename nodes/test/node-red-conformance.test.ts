import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from './flow-harness.js';
import { transformNodes } from '../src/core/transform-nodes.js';

/**
 * Runs the same node, with the same properties and input messages, in Node-RED 4.1 (through its
 * test helper, a dev dependency of the workspace) and in Gridflow, and compares what each output
 * port sent. Message ids differ by design and are left out.
 */
const require = createRequire(import.meta.url);
interface NrNode {
  receive(msg: Record<string, unknown>): void;
  on(event: 'input', fn: (msg: Record<string, unknown>) => void): void;
}
interface NrHelper {
  init(path: string): void;
  startServer(done: () => void): void;
  stopServer(done: () => void): void;
  load(module: unknown, flow: unknown[], done: () => void): void;
  unload(): Promise<void>;
  getNode(id: string): NrNode;
}
const helper = require('node-red-node-test-helper') as NrHelper;
const nrCore = (file: string) => require(`@node-red/nodes/core/${file}`) as unknown;

const MODULES: Record<string, string> = {
  change: 'function/15-change.js',
  switch: 'function/10-switch.js',
  range: 'function/16-range.js',
  template: 'function/80-template.js',
  function: 'function/10-function.js',
  json: 'parsers/70-JSON.js',
  yaml: 'parsers/70-YAML.js',
  csv: 'parsers/70-CSV.js',
};

type Outputs = Record<string, unknown>[][];

/** Drops `_msgid` and names generated sequence ids by their order of appearance (one per output port). */
function normaliser() {
  const ids = new Map<unknown, string>();
  return (msg: Record<string, unknown>) => {
    const { _msgid: _ignored, ...rest } = msg;
    const out = JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (v === undefined ? '__undefined__' : v))) as Record<string, unknown>;
    const parts = out['parts'] as { id?: unknown } | undefined;
    if (parts && typeof parts.id === 'string' && /^[0-9a-f]{16}$/.test(parts.id)) {
      if (!ids.has(parts.id)) ids.set(parts.id, `id${ids.size}`);
      parts.id = ids.get(parts.id);
    }
    return out;
  };
}
const settle = () => new Promise((r) => setTimeout(r, 40));

async function inNodeRed(type: string, config: Record<string, unknown>, ports: number, inputs: Record<string, unknown>[]): Promise<Outputs> {
  const out: Outputs = Array.from({ length: ports }, () => []);
  const wires = out.map((_p, i) => [`h${i}`]);
  const flow = [{ id: 'n', type, z: 'tab', ...config, wires }, ...wires.map(([id]) => ({ id, type: 'helper', z: 'tab' })), { id: 'tab', type: 'tab' }];
  await new Promise<void>((resolve) => helper.load(nrCore(MODULES[type] as string), flow, resolve));
  out.forEach((list, i) => {
    const strip = normaliser();
    helper.getNode(`h${i}`).on('input', (msg) => list.push(strip(msg)));
  });
  // Node-RED's runtime delivers each message in its own event-loop turn; so does this.
  for (const msg of inputs) {
    helper.getNode('n').receive(structuredClone(msg));
    await new Promise((r) => setImmediate(r));
  }
  await settle();
  await helper.unload();
  return out;
}

async function inGridflow(type: string, config: Record<string, unknown>, ports: number, inputs: Record<string, unknown>[]): Promise<Outputs> {
  const wires = Array.from({ length: ports }, (_p, i) => [`h${i}`]);
  const h = await runFlow([{ id: 'n', type, ...config, wires }], { nodes: transformNodes });
  for (const msg of inputs) h.send('n', structuredClone(msg));
  await h.settle(40);
  const out = wires.map(([id]) => h.received(id as string).map(normaliser()));
  await h.close();
  return out;
}

interface Case {
  name: string;
  type: string;
  config: Record<string, unknown>;
  ports?: number;
  inputs: Record<string, unknown>[];
}

const CASES: Case[] = [
  {
    name: 'change: set, change, delete, move',
    type: 'change',
    config: {
      rules: [
        { t: 'set', p: 'a', pt: 'msg', to: '{"x":[1,2]}', tot: 'json' },
        { t: 'change', p: 'payload', pt: 'msg', from: 'o', fromt: 'str', to: '0', tot: 'str' },
        { t: 'change', p: 'n', pt: 'msg', from: '5', fromt: 'num', to: 'five', tot: 'str' },
        { t: 'change', p: 's', pt: 'msg', from: '^(\\w)(\\w*)$', fromt: 're', to: '$2$1', tot: 'str' },
        { t: 'change', p: 'b', pt: 'msg', from: 'true', fromt: 'bool', to: 'false', tot: 'bool' },
        { t: 'delete', p: 'gone', pt: 'msg' },
        { t: 'move', p: 'obj', pt: 'msg', to: 'obj.inner', tot: 'msg' },
        { t: 'move', p: 'deep.child', pt: 'msg', to: 'deep', tot: 'msg' },
        { t: 'set', p: 'num', pt: 'msg', to: '3.5', tot: 'num' },
        { t: 'set', p: 'flag', pt: 'msg', to: 'TRUE', tot: 'bool' },
        { t: 'set', p: 'copy', pt: 'msg', to: 'a.x', tot: 'msg', dc: true },
        { t: 'set', p: 'payload.x', pt: 'msg', to: 'no', tot: 'str' },
      ],
    },
    inputs: [
      { payload: 'foo boo', n: 5, s: 'hello', b: true, gone: 1, obj: { k: 1 }, deep: { child: { v: 2 } } },
      { payload: 7, n: '5', s: 'hello world', b: 'true', obj: 'str', deep: {} },
      { payload: 'msg.payload', n: 6, b: false },
    ],
  },
  {
    name: 'change: JSONata',
    type: 'change',
    config: { rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '$sum(payload.list) & "/" & $count(payload.list)', tot: 'jsonata' }] },
    inputs: [{ payload: { list: [1, 2, 3] } }, { payload: { list: [] } }],
  },
  {
    name: 'switch: value rules, checkall',
    type: 'switch',
    ports: 8,
    config: {
      property: 'payload',
      propertyType: 'msg',
      checkall: 'true',
      rules: [
        { t: 'eq', v: '5', vt: 'num' },
        { t: 'lt', v: '10', vt: 'num' },
        { t: 'btwn', v: '1', vt: 'num', v2: '6', v2t: 'num' },
        { t: 'cont', v: 'ab', vt: 'str' },
        { t: 'regex', v: '^A', vt: 'str', case: true },
        { t: 'istype', v: 'number', vt: 'number' },
        { t: 'nempty' },
        { t: 'else' },
      ],
    },
    inputs: [{ payload: 5 }, { payload: '5' }, { payload: 'abc' }, { payload: 20 }, { payload: [] }, { payload: null }, { payload: { k: 1 } }],
  },
  {
    name: 'switch: first match only, other properties, prev',
    type: 'switch',
    ports: 4,
    config: {
      property: 'data.level',
      propertyType: 'msg',
      checkall: 'false',
      rules: [{ t: 'gt', v: 'limit', vt: 'msg' }, { t: 'eq', v: '', vt: 'prev' }, { t: 'hask', v: 'x', vt: 'str' }, { t: 'else' }],
    },
    inputs: [{ data: { level: 5 }, limit: 3 }, { data: { level: 5 }, limit: 9 }, { data: { level: { x: 1 } } }, { data: {} }],
  },
  {
    name: 'switch: sequences (head, tail, repair)',
    type: 'switch',
    ports: 3,
    config: {
      property: 'payload',
      propertyType: 'msg',
      checkall: 'true',
      repair: true,
      rules: [{ t: 'head', v: '2', vt: 'num' }, { t: 'tail', v: '1', vt: 'num' }, { t: 'gt', v: '15', vt: 'num' }],
    },
    inputs: [0, 1, 2, 3].map((index) => ({ payload: index * 10, parts: { id: 'seq', index, count: 4 } })),
  },
  {
    name: 'range: scale, clamp, roll, round',
    type: 'range',
    config: { minin: '0', maxin: '10', minout: '100', maxout: '0', action: 'roll', round: true, property: 'payload' },
    inputs: [{ payload: 3 }, { payload: '12.5' }, { payload: -4 }, { payload: 'x' }, { topic: 'no payload' }],
  },
  {
    name: 'template: mustache with sections, JSON output',
    type: 'template',
    config: { field: 'payload', fieldType: 'msg', syntax: 'mustache', output: 'json', template: '{"t":"{{topic}}","items":[{{#payload}}"{{.}}",{{/payload}}"end"],"q":"{{{quote}}}"}' },
    inputs: [{ topic: 'a\nb', payload: ['x', 'y'], quote: 'tab\there' }],
  },
  {
    name: 'function: return shapes',
    type: 'function',
    ports: 2,
    config: {
      func: 'if (msg.payload === 1) return [msg, {payload: "second"}];\nif (msg.payload === 2) return [[msg, {payload: "b"}], null];\nif (msg.payload === 3) return null;\nnode.send([null, {payload: "sent"}]);\nreturn msg;',
      outputs: 2,
    },
    inputs: [{ payload: 1 }, { payload: 2 }, { payload: 3 }, { payload: 4 }],
  },
  {
    name: 'function: node.send copies, then the returned message',
    type: 'function',
    config: { func: 'node.send(msg);\nmsg.payload = "changed";\nnode.send([[{payload: "a"}, {payload: "b"}]]);\nreturn msg;', outputs: 1 },
    inputs: [{ payload: 'original', keep: { deep: 1 } }],
  },
  {
    name: 'switch: JSONata property and rules',
    type: 'switch',
    ports: 3,
    config: {
      property: 'payload.v * 2',
      propertyType: 'jsonata',
      checkall: 'true',
      rules: [{ t: 'gt', v: '4', vt: 'num' }, { t: 'jsonata_exp', v: 'payload.v = 1', vt: 'jsonata' }, { t: 'eq', v: '$$.payload.v * 2', vt: 'jsonata' }],
    },
    inputs: [{ payload: { v: 1 } }, { payload: { v: 3 } }],
  },
  {
    name: 'range: clamp and drop',
    type: 'range',
    config: { minin: '-5', maxin: '5', minout: '0', maxout: '1', action: 'clamp', round: false, property: 'payload' },
    inputs: [{ payload: 7 }, { payload: -7 }, { payload: 0 }],
  },
  {
    name: 'range: drop',
    type: 'range',
    config: { minin: '0', maxin: '4', minout: '0', maxout: '8', action: 'drop', property: 'v' },
    inputs: [{ v: 5 }, { v: 2 }, { v: -1 }],
  },
  {
    name: 'template: plain, YAML output, msg.template',
    type: 'template',
    config: { field: 'out', fieldType: 'msg', syntax: 'mustache', output: 'yaml', template: '' },
    inputs: [{ template: 'name: {{payload}}\nlist: [{{#items}}{{.}},{{/items}}]', payload: 'x', items: [1, 2] }],
  },
  {
    name: 'csv: split lines with parts, one message per row',
    type: 'csv',
    config: { spec: 'rfc', sep: ',', hdrin: true, hdrout: 'none', multi: 'one', ret: '\\n', temp: '', skip: '0', strings: true },
    inputs: ['a,b', '1,2', '3,x'].map((payload, index) => ({ payload, parts: { id: 'p', index, count: 3 } })),
  },
  {
    name: 'json: both ways',
    type: 'json',
    config: { action: '', property: 'payload', pretty: true },
    inputs: [{ payload: '{"a":1}' }, { payload: { b: [1, { c: null }] } }, { payload: 4 }, { payload: true }, {}],
  },
  {
    name: 'yaml: both ways',
    type: 'yaml',
    config: { property: 'payload' },
    inputs: [{ payload: 'a: 1\nb: [x, y]\n' }, { payload: { z: { y: 'x' } } }, { payload: null }],
  },
  {
    name: 'csv: RFC 4180 parse, one message per row',
    type: 'csv',
    config: { spec: 'rfc', sep: ',', hdrin: true, hdrout: 'none', multi: 'one', ret: '\\r\\n', temp: '', skip: '0', strings: true, include_empty_strings: '', include_null_values: '' },
    inputs: [{ payload: 'a,b,c\r\n1,"x, ""y""",\r\n002,-3e2,"multi\nline"\r\n' }],
  },
  {
    name: 'csv: RFC 4180 write with header once, template',
    type: 'csv',
    config: { spec: 'rfc', sep: ';', hdrin: '', hdrout: 'once', multi: 'one', ret: '\\n', temp: 'a,,c', skip: '0', strings: true },
    inputs: [{ payload: [{ a: 1, b: 2, c: 'x;y' }, { a: 'q"q', c: null }] }, { payload: { a: 3, c: 4 } }, { payload: [[1, 2, 3], ['a', 'b']] }],
  },
  {
    name: 'csv: parse to one array, skip, numbers as strings',
    type: 'csv',
    config: { spec: 'rfc', sep: ',', hdrin: '', hdrout: 'none', multi: 'mult', ret: '\\n', temp: 'p,q', skip: '1', strings: false, include_empty_strings: true, include_null_values: true },
    inputs: [{ payload: 'junk line\n1,2\n,""\n' }],
  },
];

describe('conformance with Node-RED 4.1', () => {
  beforeAll(async () => {
    helper.init(require.resolve('node-red'));
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const ports = c.ports ?? 1;
      const theirs = await inNodeRed(c.type, c.config, ports, c.inputs);
      const ours = await inGridflow(c.type, c.config, ports, c.inputs);
      expect(theirs.flat().length, 'Node-RED produced output').toBeGreaterThan(0);
      expect(ours).toEqual(theirs);
    });
  }
});
