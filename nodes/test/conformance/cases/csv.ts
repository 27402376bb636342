import { cases, catchAll, csv, out, payloads, send } from './kit.js';

/** Each case runs once with the RFC 4180 parser (Node-RED 4's default) and once with the legacy one. */
const both = (name: string, make: (spec: string) => Omit<Parameters<typeof cases>[0][number], 'name'>) => [
  { name: `csv (rfc): ${name}`, ...make('rfc') },
  { name: `csv (legacy): ${name}`, ...make('') },
];

export const csvCases = cases([
  ...both('parse a line with a template', (spec) => ({
    flow: [csv({ spec, temp: 'a,b,c' }), out()],
    inputs: payloads('csv', '1,two,3.5\n'),
  })),
  ...both('parse with a header row, one message per line', (spec) => ({
    flow: [csv({ spec, hdrin: true }), out()],
    inputs: payloads('csv', 'name,age\nann,31\nbob,42\n'),
  })),
  ...both('parse with a header row into one array', (spec) => ({
    flow: [csv({ spec, hdrin: true, multi: 'mult' }), out()],
    inputs: payloads('csv', 'name,age\nann,31\nbob,42\n'),
  })),
  ...both('quoted fields with separators, quotes and newlines', (spec) => ({
    flow: [csv({ spec, temp: 'x,y' }), out()],
    inputs: payloads('csv', '"a,b","say ""hi"""\n"multi\nline",2\n'),
  })),
  ...both('numbers kept as strings when asked', (spec) => ({
    flow: [csv({ spec, temp: 'a,b', strings: false }), out()],
    inputs: payloads('csv', '007,1e3\n'),
  })),
  ...both('empty fields kept as empty strings and nulls', (spec) => ({
    flow: [csv({ spec, temp: 'a,b,c', include_empty_strings: true, include_null_values: true }), out()],
    inputs: payloads('csv', '1,,3\n'),
  })),
  ...both('skip lines and another separator', (spec) => ({
    flow: [csv({ spec, temp: 'a,b', sep: ';', skip: '1' }), out()],
    inputs: payloads('csv', 'junk;line\n1;2\n3;4\n'),
  })),
  ...both('object to a CSV line', (spec) => ({
    flow: [csv({ spec, temp: 'a,b,c' }), out()],
    inputs: payloads('csv', { a: 1, b: 'x,y', c: 'say "hi"' }),
  })),
  ...both('array of objects with a header line', (spec) => ({
    flow: [csv({ spec, temp: 'a,b', hdrout: 'all' }), out()],
    inputs: payloads('csv', [{ a: 1, b: 2 }, { a: 3, b: 4 }]),
  })),
  ...both('columns taken from the first object when there is no template', (spec) => ({
    flow: [csv({ spec, hdrout: 'all' }), out()],
    inputs: payloads('csv', [{ x: 1, y: 'two' }]),
  })),
  ...both('header only once, until msg.reset', (spec) => ({
    flow: [csv({ spec, temp: 'a,b', hdrout: 'once' }), out()],
    inputs: send('csv', { payload: { a: 1, b: 2 } }, { payload: { a: 3, b: 4 } }, { payload: { a: 5, b: 6 }, reset: true }),
  })),
  ...both('array of arrays to CSV', (spec) => ({
    flow: [csv({ spec }), out()],
    inputs: payloads('csv', [[1, 'a b', 0], [2, 'c\nd', true]]),
  })),
  {
    name: 'csv (rfc): a null cell in an array row',
    flow: [csv({}), out()],
    inputs: payloads('csv', [[1, null, 'x']]),
  },
  {
    name: 'csv (legacy): a null cell in an array row',
    flow: [csv({ spec: '' }), out(), ...catchAll()],
    inputs: payloads('csv', [[1, null, 'x']]),
    differs:
      "Node-RED 4.1's legacy CSV writer throws on a null cell (null.toString()) and logs the TypeError; Gridflow writes the row as the RFC mode does",
    expect: { out: [{ payload: '1,null,x\n' }] },
  },
  ...both('CRLF line endings in output', (spec) => ({
    flow: [csv({ spec, temp: 'a,b', ret: '\\r\\n', hdrout: 'all' }), out()],
    inputs: payloads('csv', { a: 'x', b: 'y' }),
  })),
  {
    name: 'csv: split lines of a sequence keep parts',
    flow: [csv({ temp: 'a' }), out()],
    inputs: payloads('csv', '1\n2\n3\n'),
  },
  {
    name: 'csv: unterminated quote',
    flow: [csv({ temp: 'a,b' }), out(), ...catchAll()],
    inputs: payloads('csv', '"open,1\n'),
  },
  {
    name: 'csv: columns from msg.columns',
    flow: [csv({}), out()],
    inputs: send('csv', { payload: { p: 1, q: 2, r: 3 }, columns: 'r,p' }),
  },
]);
