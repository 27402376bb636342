import { cases, catchAll, csv as csvNode, json, out, payloads, send, template, yaml } from './kit.js';

/** Parser and template cases beyond the basics: schema validation, error texts, context targets. */

/** The csv cases here run the legacy parser. */
const csv = (extra: Record<string, unknown> = {}) => csvNode({ spec: '', ...extra });

const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };

export const jsonMoreCases = cases([
  {
    name: 'json: an object validated by a schema, then stringified',
    flow: [json(), out(), ...catchAll()],
    inputs: send('js', { payload: { n: 2 }, schema }, { payload: { n: 'no' }, schema }),
  },
  {
    name: 'json: always to object validates an object as it is',
    flow: [json({ action: 'obj' }), out(), ...catchAll()],
    inputs: send('js', { payload: { n: 3 }, schema }, { payload: {}, schema }),
  },
  {
    name: 'json: always to string validates the parsed string',
    flow: [json({ action: 'str' }), out(), ...catchAll()],
    inputs: send('js', { payload: '{"n":4}', schema }, { payload: '{"m":4}', schema }),
  },
  {
    name: 'json: a schema that does not compile',
    flow: [json(), out(), ...catchAll()],
    inputs: send('js', { payload: '{"n":1}', schema: { type: 'no-such-type' } }),
    expect: { errors: [{ error: { message: 'JSON Schema error: failed to compile schema' } }] },
  },
  {
    name: 'json: always to string leaves invalid JSON text alone',
    flow: [json({ action: 'str' }), out(), ...catchAll()],
    inputs: payloads('js', '{not json'),
    expect: { out: [{ payload: '{not json' }] },
  },
  {
    name: 'json: null and arrays',
    flow: [json(), out(), ...catchAll()],
    inputs: payloads('js', null, [1, 'a'], 'null', '[true]'),
  },
  {
    name: 'json: pretty printing an array',
    flow: [json({ pretty: true }), out()],
    inputs: payloads('js', [1, { b: 2 }]),
  },
]);

export const yamlMoreCases = cases([
  {
    name: 'yaml: null payload is dumped',
    flow: [yaml(), out(), ...catchAll()],
    inputs: payloads('ym', null),
  },
  {
    name: 'yaml: a Buffer is ignored with a warning',
    flow: [yaml(), out(), ...catchAll()],
    inputs: payloads('ym', Buffer.from('a: 1'), 'b: 2'),
    compare: { warnings: true },
  },
  {
    name: 'yaml: arrays and nested objects both ways',
    flow: [yaml(), out()],
    inputs: payloads('ym', { list: [1, 'two', { three: 3 }], flag: true }, '- a\n- b: [1, 2]\n'),
  },
  {
    name: 'yaml: missing property passes the message on',
    flow: [yaml({ property: 'data' }), out()],
    inputs: payloads('ym', 'x: 1'),
  },
]);

export const templateMoreCases = cases([
  {
    name: 'template: into flow context',
    flow: [
      template('saved {{payload}}', { fieldType: 'flow', field: 'saved', wires: [['ch']] }),
      { id: 'ch', type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'saved', tot: 'flow' }], wires: [['out']] },
      out(),
    ],
    inputs: payloads('tp', 'this'),
    expect: { out: [{ payload: 'saved this' }] },
  },
  {
    name: 'template: invalid YAML output is an error',
    flow: [template('a: [unclosed', { output: 'yaml' }), out(), ...catchAll()],
    inputs: payloads('tp', 1),
  },
  {
    name: 'template: plain text parsed as JSON',
    flow: [template('{"fixed": {{payload}}}', { syntax: 'plain', output: 'json' }), out(), ...catchAll()],
    inputs: payloads('tp', 1),
  },
  {
    name: 'template: missing values render as empty',
    flow: [template('[{{nothing}}][{{payload.none}}]'), out()],
    inputs: payloads('tp', { a: 1 }),
    expect: { out: [{ payload: '[][]' }] },
  },
  {
    name: 'template: JSON output of an object value',
    flow: [template('{"copy": {{{payload}}} }', { output: 'json' }), out(), ...catchAll()],
    inputs: payloads('tp', { a: [1, 2] }),
  },
]);

/** Node-RED's legacy CSV parser (nodes without spec "rfc") and its quirks. */
export const csvLegacyCases = cases([
  {
    name: 'csv (legacy): a line that starts with a separator fails',
    flow: [csv({ temp: 'a,b' }), out(), ...catchAll()],
    inputs: payloads('csv', ',2\n'),
  },
  {
    name: 'csv (legacy): a trailing separator gives a null cell',
    flow: [csv({ temp: 'a,b,c', include_null_values: true }), out()],
    inputs: payloads('csv', '1,2,'),
  },
  {
    name: 'csv (legacy): no template names columns col1, col2',
    flow: [csv({ multi: 'mult' }), out()],
    inputs: payloads('csv', '1,2\n3,4,5\n'),
  },
  {
    name: 'csv (legacy): skip lines then a header row',
    flow: [csv({ skip: '1', hdrin: true }), out()],
    inputs: payloads('csv', 'ignore me\nx,y\n1,2\n'),
  },
  {
    name: 'csv (legacy): numbers are not parsed when turned off',
    flow: [csv({ temp: 'a,b', strings: false }), out()],
    inputs: payloads('csv', '007,1.5\n'),
  },
  {
    name: 'csv (legacy): unclosed quote warns',
    flow: [csv({ temp: 'a,b' }), out()],
    inputs: payloads('csv', '"open,1\n'),
    compare: { warnings: true },
  },
  {
    name: 'csv (legacy): a tab separator and empty strings kept',
    flow: [csv({ temp: 'a,b,c', sep: '\\t', include_empty_strings: true }), out()],
    inputs: payloads('csv', 'x\t\ty'),
  },
]);
