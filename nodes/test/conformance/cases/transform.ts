import { cases, catchAll, json, out, payloads, send, template, yaml } from './kit.js';

const range = (extra: Record<string, unknown>) => ({
  id: 'rg', type: 'range', name: '', minin: '0', maxin: '10', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload', wires: [['out']], ...extra,
});

export const rangeCases = cases([
  {
    name: 'range: scale',
    flow: [range({}), out()],
    inputs: payloads('rg', 0, 5, 10, 12, -1, '2.5'),
    expect: { out: [{ payload: 0 }, { payload: 50 }, { payload: 100 }, { payload: 120 }, { payload: -10 }, { payload: 25 }] },
  },
  {
    name: 'range: scale and limit',
    flow: [range({ action: 'clamp' }), out()],
    inputs: payloads('rg', 5, 12, -1),
  },
  {
    name: 'range: scale and wrap',
    flow: [range({ action: 'roll' }), out()],
    inputs: payloads('rg', 5, 12, -1, 25),
  },
  {
    name: 'range: scale and drop out of range',
    flow: [range({ action: 'drop' }), out()],
    inputs: payloads('rg', 5, 12, -1, 10),
  },
  {
    name: 'range: round to integer and inverted output range',
    flow: [range({ minout: '10', maxout: '0', round: true }), out()],
    inputs: payloads('rg', 3.3, 7.77),
  },
  {
    name: 'range: non-numeric input is dropped (logged at info level)',
    flow: [range({}), out(), ...catchAll()],
    inputs: payloads('rg', 'abc', { a: 1 }, 1),
    expect: { out: [{ payload: 10 }] },
  },
  {
    name: 'range: another property',
    flow: [range({ property: 'data.level' }), out()],
    inputs: send('rg', { data: { level: 4 } }),
  },
]);

export const templateCases = cases([
  {
    name: 'template: mustache into payload',
    flow: [template('Hello {{payload}} from {{topic}}!'), out()],
    inputs: send('tp', { payload: 'World', topic: 'tests' }),
    expect: { out: [{ payload: 'Hello World from tests!' }] },
  },
  {
    name: 'template: mustache escapes HTML, triple braces do not',
    flow: [template('{{payload}} | {{{payload}}}'), out()],
    inputs: payloads('tp', '<b>&"'),
  },
  {
    name: 'template: sections and nested properties',
    flow: [template('{{#payload.items}}[{{name}}={{v}}]{{/payload.items}}{{^payload.none}}none{{/payload.none}} {{payload.a.b}}'), out()],
    inputs: payloads('tp', { items: [{ name: 'x', v: 1 }, { name: 'y', v: 2 }], a: { b: 'deep' } }),
  },
  {
    name: 'template: flow and global context and env',
    flow: [
      { id: 'set', type: 'change', rules: [{ t: 'set', p: 'colour', pt: 'flow', to: 'blue', tot: 'str' }], wires: [['tp']] },
      template('flow={{flow.colour}} env={{env.TP_ENV}} missing={{flow.nothing}}'),
      out(),
    ],
    tabEnv: [{ name: 'TP_ENV', type: 'str', value: 'e1' }],
    inputs: payloads('set', 1),
  },
  {
    name: 'template: plain text keeps braces',
    flow: [template('raw {{payload}} text', { syntax: 'plain' }), out()],
    inputs: payloads('tp', 'ignored'),
  },
  {
    name: 'template: output parsed as JSON',
    flow: [template('{"value": {{payload}}, "name": "{{topic}}"}', { output: 'json' }), out()],
    inputs: send('tp', { payload: 42, topic: 'n' }),
  },
  {
    name: 'template: invalid JSON output is an error',
    flow: [template('{not json {{payload}}', { output: 'json' }), out(), ...catchAll()],
    inputs: payloads('tp', 1),
  },
  {
    name: 'template: output parsed as YAML',
    flow: [template('name: {{topic}}\nitems:\n  - {{payload}}\n  - two', { output: 'yaml' }), out()],
    inputs: send('tp', { payload: 1, topic: 'y' }),
  },
  {
    name: 'template: into another property',
    flow: [template('<p>{{payload}}</p>', { field: 'html' }), out()],
    inputs: payloads('tp', 'x'),
  },
  {
    name: 'template: object values render as JSON',
    flow: [template('obj={{payload}} arr={{payload.list}}'), out()],
    inputs: payloads('tp', { list: [1, 2], n: null }),
  },
  {
    name: 'template: template from msg.template when empty',
    flow: [template(''), out()],
    inputs: send('tp', { template: 'dynamic {{payload}}', payload: 'ok' }),
  },
]);

export const jsonCases = cases([
  {
    name: 'json: string to object',
    flow: [json(), out()],
    inputs: payloads('js', '{"a":1,"b":[true,null,"x"]}'),
    expect: { out: [{ payload: { a: 1, b: [true, null, 'x'] } }] },
  },
  {
    name: 'json: object to string',
    flow: [json(), out()],
    inputs: payloads('js', { a: 1, b: 'x' }, [1, 2]),
  },
  {
    name: 'json: pretty printing',
    flow: [json({ pretty: true }), out()],
    inputs: payloads('js', { a: { b: [1, 2] } }),
  },
  {
    name: 'json: invalid JSON is an error',
    flow: [json(), out(), ...catchAll()],
    inputs: payloads('js', '{bad json'),
  },
  {
    name: 'json: always to object leaves objects alone',
    flow: [json({ action: 'obj' }), out()],
    inputs: payloads('js', '[1,2]', { already: true }),
  },
  {
    name: 'json: always to string leaves strings alone',
    flow: [json({ action: 'str' }), out()],
    inputs: payloads('js', 'already a string', { a: 1 }),
  },
  {
    name: 'json: numbers and booleans are stringified, parse of "5"',
    flow: [json(), out()],
    inputs: payloads('js', 5, true, '5', 'true'),
  },
  {
    name: 'json: a Buffer is parsed',
    flow: [json(), out()],
    inputs: [{ to: 'js', msg: { payload: Buffer.from('{"fromBuffer":1}') } }],
  },
  {
    name: 'json: another property',
    flow: [json({ property: 'data' }), out()],
    inputs: send('js', { data: '{"x":2}', payload: 'untouched' }),
  },
  {
    name: 'json: missing property passes the message on',
    flow: [json({ property: 'nothing' }), out()],
    inputs: payloads('js', 1),
  },
  {
    name: 'json: schema validation passes and fails',
    flow: [json(), out(), ...catchAll()],
    inputs: send(
      'js',
      { payload: '{"n": 1}', schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } },
      { payload: '{"n": "x"}', schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } },
    ),
  },
]);

export const yamlCases = cases([
  {
    name: 'yaml: string to object',
    flow: [yaml(), out()],
    inputs: payloads('ym', 'a: 1\nb:\n  - x\n  - true\nc: null\n'),
    expect: { out: [{ payload: { a: 1, b: ['x', true], c: null } }] },
  },
  {
    name: 'yaml: object to string',
    flow: [yaml(), out()],
    inputs: payloads('ym', { a: 1, list: ['x', { y: 2 }], s: 'multi\nline' }),
  },
  {
    name: 'yaml: invalid YAML is an error',
    flow: [yaml(), out(), ...catchAll()],
    inputs: payloads('ym', 'a: [unclosed'),
  },
  {
    name: 'yaml: numbers and booleans are dropped with a warning',
    flow: [yaml(), out()],
    inputs: payloads('ym', 5, true, 'k: 1'),
    compare: { warnings: true },
    expect: { out: [{ payload: { k: 1 } }] },
  },
  {
    name: 'yaml: another property',
    flow: [yaml({ property: 'cfg' }), out()],
    inputs: send('ym', { cfg: 'k: v', payload: 1 }),
  },
]);
