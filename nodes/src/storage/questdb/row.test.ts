import { describe, expect, it } from 'vitest';
import { InvalidRowError, prepareRow, toMicros } from './row.js';

describe('prepareRow', () => {
  const at = Date.UTC(2025, 0, 1);

  it('splits symbols and fields, types undeclared values from the value and fixes the time once', () => {
    const row = prepareRow(
      {
        table: 'm',
        symbols: { device: 'd1', rack: 7 },
        columns: { v: 1.5, n: 3n, on: true, note: 'x', when: new Date(at), gone: null },
      },
      () => at,
    );
    expect(row.symbols).toEqual([
      ['device', 'd1'],
      ['rack', '7'],
    ]);
    expect(row.fields).toEqual([
      { name: 'v', kind: 'float', value: 1.5 },
      { name: 'n', kind: 'int', value: 3 },
      { name: 'on', kind: 'boolean', value: true },
      { name: 'note', kind: 'string', value: 'x' },
      { name: 'when', kind: 'timestamp', value: BigInt(at) * 1000n },
    ]);
    expect(row.tsMicros).toBe(BigInt(at) * 1000n);
  });

  it('converts values to declared types, including numeric text and symbol columns', () => {
    const row = prepareRow({
      table: 'm',
      columns: { v: '21.5', n: '42', on: 'false', id: 5, site: 'north' },
      types: { v: 'double', n: 'long', on: 'boolean', id: 'varchar', site: 'symbol' },
      ts: '2025-01-01T00:00:00.250Z',
    });
    expect(row.fields).toEqual([
      { name: 'v', kind: 'float', value: 21.5 },
      { name: 'n', kind: 'int', value: 42 },
      { name: 'on', kind: 'boolean', value: false },
      { name: 'id', kind: 'string', value: '5' },
    ]);
    expect(row.symbols).toEqual([['site', 'north']]);
    expect(row.tsMicros).toBe(BigInt(at) * 1000n + 250_000n);
  });

  it('refuses what QuestDB could never take, naming the table and column', () => {
    const bad: [Parameters<typeof prepareRow>[0], RegExp][] = [
      [{ table: 'bad name', columns: { v: 1 } }, /table name/],
      [{ table: 'm', columns: { 'v"x': 1 } }, /invalid column name/],
      [{ table: 'm', columns: { n: 1.5 }, types: { n: 'long' } }, /column "n": expected an integer, got number 1.5/],
      [{ table: 'm', columns: { v: 'warm' }, types: { v: 'double' } }, /column "v": expected a number, got "warm"/],
      [{ table: 'm', columns: { on: 1 }, types: { on: 'boolean' } }, /expected a boolean/],
      [{ table: 'm', columns: { n: 2n ** 60n }, types: { n: 'long' } }, /beyond/],
      [{ table: 'm', columns: { o: {} as never } }, /cannot store a value of type object/],
      [{ table: 'm', columns: { v: null } }, /no values/],
      [{ table: 'm', columns: { v: 1 }, ts: 'yesterday' }, /column "ts": not a valid time/],
    ];
    for (const [row, message] of bad) {
      const attempt = () => prepareRow(row);
      expect(
        attempt,
        JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toThrow(InvalidRowError);
      expect(attempt).toThrow(message);
    }
  });
});

describe('toMicros', () => {
  it('reads Dates, ms numbers, µs bigints and ISO text', () => {
    expect(toMicros(new Date(1000))).toBe(1_000_000n);
    expect(toMicros(1.5)).toBe(1500n);
    expect(toMicros(7n)).toBe(7n);
    expect(toMicros('1970-01-01T00:00:01Z')).toBe(1_000_000n);
    expect(() => toMicros(Number.NaN)).toThrow(/not a valid time/);
  });
});
