import { describe, expect, it } from 'vitest';
import { createCsvStream, type CsvEvent } from './csv-stream.js';
import { globToRegExp } from './folder.js';
import { createJsonArrayStream, createJsonLinesStream, type JsonEvent } from './json-stream.js';

/** Feeds the text in pieces of `size` characters, so that every boundary case is met. */
function csv(text: string, size: number, skipEmpty = true): CsvEvent[] {
  const p = createCsvStream({ separator: ',', skipEmpty });
  const out: CsvEvent[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  return [...out, ...p.end()];
}

function json(text: string, size: number, lines = false): JsonEvent[] {
  const p = lines ? createJsonLinesStream() : createJsonArrayStream();
  const out: JsonEvent[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  return [...out, ...p.end()];
}

describe('csv stream', () => {
  const text = 'a,b,c\r\n1,"two, too","say ""hi"""\n\n3,"multi\nline",\n4,5,6';
  it.each([1, 2, 3, 7, 1000])('parses quotes, escaped quotes, CRLF and fields over lines in chunks of %i', (size) => {
    expect(csv(text, size)).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'two, too', 'say "hi"'], line: 2 },
      { fields: ['3', 'multi\nline', ''], line: 4 },
      { fields: ['4', '5', '6'], line: 6 },
    ]);
  });

  it('reports a malformed line by number and goes on with the next', () => {
    expect(csv('a,b\n1,x"y\n"q"z,2\n3,4\n', 4)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { error: 'a quote inside the unquoted field 2', line: 2 },
      { error: 'text after the closing quote of field 1', line: 3 },
      { fields: ['3', '4'], line: 4 },
    ]);
  });

  it('reports a quote never closed, and keeps blank lines when asked', () => {
    expect(csv('a\n"open\nmore', 3)).toEqual([{ fields: ['a'], line: 1 }, { error: 'a quoted field opened on line 2 is never closed', line: 2 }]);
    expect(csv('a\n\nb\n', 2, false)).toEqual([{ fields: ['a'], line: 1 }, { fields: [''], line: 2 }, { fields: ['b'], line: 3 }]);
  });
});

describe('json streams', () => {
  const doc = '[\n {"a": "x,]\\"y"},\n [1, [2]],\n 3 ,\n {"b": {"c": []}}\n]';
  it.each([1, 5, 1000])('splits the elements of an array in chunks of %i', (size) => {
    expect(json(doc, size)).toEqual([
      { value: { a: 'x,]"y' }, line: 2 },
      { value: [1, [2]], line: 3 },
      { value: 3, line: 4 },
      { value: { b: { c: [] } }, line: 5 },
    ]);
  });

  it('reads a document that is not an array whole, and names a bad element and a cut array', () => {
    expect(json(' {"one": 1}', 3)).toEqual([{ value: { one: 1 }, line: 1 }]);
    const bad = json('[1, {x}, 2', 2);
    expect(bad[0]).toEqual({ value: 1, line: 1 });
    expect(bad[1]).toMatchObject({ line: 1, error: expect.stringContaining('invalid JSON element') });
    // The last element of a cut array may itself be cut ("2" of "25"): it is not read.
    expect(bad.slice(2)).toEqual([{ error: expect.stringContaining('never closed') as unknown as string, line: 1 }]);
  });

  it('reads JSON lines, skipping blank ones and naming bad ones', () => {
    expect(json('{"a":1}\n\nnot json\n[2]', 4, true)).toEqual([
      { value: { a: 1 }, line: 1 },
      { error: expect.stringContaining('invalid JSON') as unknown as string, line: 3 },
      { value: [2], line: 4 },
    ]);
  });
});

describe('folder patterns', () => {
  it('matches * and ? within a name only, and escapes the rest', () => {
    const re = globToRegExp('orders-*.c?v');
    expect(re.test('orders-2024.csv')).toBe(true);
    expect(re.test('orders-.ctv')).toBe(true);
    expect(re.test('orders-a/b.csv')).toBe(false);
    expect(re.test('ordersx2024.csv')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
