import { describe, expect, it } from 'vitest';
import { cleanTemplate, legacyColumns, parseLegacy, type LegacyOptions } from './csv-legacy.js';

const options = (extra: Partial<LegacyOptions> = {}): LegacyOptions => ({
  separator: ',',
  skip: 0,
  hdrin: false,
  parseNumbers: true,
  includeEmptyStrings: false,
  includeNullValues: false,
  ...extra,
});

describe('legacy CSV parser (Node-RED before RFC 4180 mode)', () => {
  it('cleans templates: split outside quotes, quotes dropped, trimmed', () => {
    expect(cleanTemplate(' a, "b,c" ,d ')).toEqual({ columns: ['a', 'b,c', 'd'], good: true });
    expect(cleanTemplate('')).toEqual({ columns: [''], good: false });
    expect(legacyColumns(['a', 'b,c', ''])).toBe('a,"b,c"');
  });

  it('keeps the empty last cell after a trailing line break when empty strings are kept', () => {
    const tpl = cleanTemplate('a,b,c');
    const r = parseLegacy('1,,3\n', undefined, false, tpl, options({ includeEmptyStrings: true, includeNullValues: true }));
    expect(r.rows).toEqual([{ a: 1, b: null, c: 3 }, { a: '' }]);
  });

  it('drops empty rows and null cells by default, parses numbers by Node-RED\'s pattern', () => {
    const tpl = cleanTemplate('a,b,c');
    const r = parseLegacy('007,1e3,x\n\n-2.5,,\n', undefined, false, tpl, options());
    expect(r.rows).toEqual([{ a: '007', b: 1000, c: 'x' }, { a: -2.5 }]);
  });

  it('names columns colN without a template, and reads a header row after skipped lines', () => {
    const none = cleanTemplate('');
    expect(parseLegacy('1,2\n3,4,5', undefined, false, none, options()).rows).toEqual([
      { col1: 1, col2: 2 },
      { col1: 3, col2: 4, col3: 5 },
    ]);
    const tpl = cleanTemplate('');
    const r = parseLegacy('junk\nx,y\n1,2\n', undefined, false, tpl, options({ skip: 1, hdrin: true }));
    expect(tpl.columns).toEqual(['x', 'y']);
    expect(r.rows).toEqual([{ x: 1, y: 2 }]);
  });

  it('handles quotes, doubled quotes and line breaks inside quotes; reports an unclosed quote', () => {
    const tpl = cleanTemplate('x,y');
    expect(parseLegacy('"a,b","say ""hi"""\n', undefined, false, tpl, options()).rows).toEqual([{ x: 'a,b', y: 'say "hi"' }]);
    expect(parseLegacy('"open,1\n', undefined, false, tpl, options()).unclosed).toBe(true);
  });

  it('fails on a separator as the first character, as Node-RED does', () => {
    expect(() => parseLegacy(',2', undefined, false, cleanTemplate('a,b'), options())).toThrow(TypeError);
  });

  it('marks the last part of a sequence', () => {
    const r = parseLegacy('1,2', { index: 2, count: 3 }, false, cleanTemplate('a,b'), options());
    expect(r.last).toBe(true);
    expect(r.rows).toEqual([{ a: 1, b: 2 }]);
  });
});
