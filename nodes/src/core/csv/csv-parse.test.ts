import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { parseCsv, quoteCell, type CsvParseOptions } from './csv-parse.js';

// Node-RED's own parser (a dev dependency of the workspace), to check that the port agrees with it.
const nodeRedCsv = createRequire(import.meta.url)('@node-red/nodes/core/parsers/lib/csv/index.js') as {
  parse(input: string, options: CsvParseOptions): { headers: string[]; header: string; data: unknown[]; cursor: number };
};

describe('parseCsv (RFC 4180, as Node-RED 4)', () => {
  it('handles quoted separators, doubled quotes and line breaks inside quotes', () => {
    const text = 'name,note\r\n"Smith, J","said ""hi"""\r\nLee,"two\nlines"\n';
    expect(parseCsv(text).data).toEqual([
      { name: 'Smith, J', note: 'said "hi"' },
      { name: 'Lee', note: 'two\nlines' },
    ]);
  });

  it('reads empty unquoted cells as null and quoted empty cells as empty strings', () => {
    const rows = parseCsv('a,,"",x\n', { outputStyle: 'array', dataHasHeaderRow: false, outputHeader: false }).data;
    expect(rows).toEqual([['a', null, '', 'x']]);
    // Node-RED drops a last cell that has no characters, even a quoted empty one.
    expect(parseCsv('a,,""\n', { outputStyle: 'array', dataHasHeaderRow: false, outputHeader: false }).data).toEqual([['a', null]]);
    const objects = parseCsv('a,b,c\n1,,"",x\n', { includeNullValues: true, includeEmptyStrings: true }).data;
    expect(objects).toEqual([{ a: '1', b: null, c: '' }]);
    expect(parseCsv('a,b,c\n1,,""\n', { includeEmptyStrings: false }).data).toEqual([{ a: '1' }]);
  });

  it('parses numbers unless zero-padded or signed with +', () => {
    const data = parseCsv('a,b,c,d,e\n12,-3.5,007,+4,1e3\n', { parseNumeric: true }).data;
    expect(data).toEqual([{ a: 12, b: -3.5, c: '007', d: '+4', e: 1000 }]);
  });

  it('is strict only when asked', () => {
    expect(() => parseCsv('a"b', { strict: true })).toThrow(/Quote found in the middle/);
    expect(() => parseCsv('"ab"c', { strict: true })).toThrow(/Data found after closing quote/);
    expect(() => parseCsv('"ab', { strict: true })).toThrow(/unclosed cell/);
    expect(parseCsv('x\na"b', { strict: false }).data).toEqual([{ x: 'a"b' }]);
  });

  it('reads just the header row and reports where it stopped', () => {
    const r = parseCsv('h1,"h,2"\r\n1,2\r\n', { headersOnly: true, outputStyle: 'array' });
    expect(r.headers).toEqual(['h1', 'h,2']);
    expect(r.header).toBe('h1,"h,2"');
    expect(r.cursor).toBe(10);
  });

  it('quotes cells that need it', () => {
    expect(quoteCell('plain')).toBe('plain');
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "x"')).toBe('"say ""x"""');
    expect(quoteCell('a\nb')).toBe('"a\nb"');
    expect(quoteCell('a;b', { separator: ';' })).toBe('"a;b"');
  });

  it('agrees with Node-RED\'s parser on a corpus of inputs and options', () => {
    const inputs = [
      'a,b,c\n1,2,3\n',
      'a,b\r\n"x, y",2\r\n,\r\n',
      'h\n"unterminated',
      'x,y\n1,"a""b"\n2,c"d\n"q"z,3',
      'one\rtwo\r\nthree\n\n\nfour',
      'n,v\n 12 ,0x1F\n-0.5,+3\n007,1e-3\n',
      '"a\nb",c\n',
      ';;\n1;;3',
    ];
    const optionSets: CsvParseOptions[] = [
      {},
      { outputStyle: 'array' },
      { outputStyle: 'array', dataHasHeaderRow: false, outputHeader: false },
      { parseNumeric: true, includeNullValues: true, includeEmptyStrings: false },
      { headers: ['p', '', 'r'], dataHasHeaderRow: false, parseNumeric: true },
      { separator: ';', includeNullValues: true },
      { cursor: 2 },
    ];
    for (const input of inputs) {
      for (const options of optionSets) {
        const ours = parseCsv(input, { ...options });
        const theirs = nodeRedCsv.parse(input, { ...options, ...(options.headers ? { headers: [...options.headers] } : {}) });
        expect({ data: ours.data, headers: ours.headers, header: ours.header, cursor: ours.cursor }, JSON.stringify({ input, options })).toEqual({
          data: theirs.data,
          headers: theirs.headers,
          header: theirs.header,
          cursor: theirs.cursor,
        });
      }
    }
  });
});
