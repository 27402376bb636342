import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError, quoteIdentifier } from './identifiers.js';
import { downsampleViews } from './materialized-views.js';
import { createTableSql, normalizeLayout, planTableEvolution, setTtlSql, TableLayoutError } from './table-layout.js';

const meter = {
  table: 'meter',
  symbols: ['device'],
  columns: [
    { name: 'power', type: 'double' as const },
    { name: 'energy', type: 'long' as const },
    { name: 'on', type: 'boolean' as const },
  ],
};

describe('identifiers', () => {
  it('quotes plain names and refuses anything that could leave the quotes', () => {
    expect(quoteIdentifier('power_1')).toBe('"power_1"');
    for (const bad of ['a"b', 'x; DROP TABLE t', 'a b', '', '1abc', 'a-b', 'a.b', "a'b", 'ä', 'x'.repeat(128)]) {
      expect(() => quoteIdentifier(bad), bad).toThrow(InvalidIdentifierError);
    }
  });
});

describe('createTableSql', () => {
  it('creates a WAL table with a SYMBOL device, typed columns, designated ts, daily partitions and dedup keys', () => {
    expect(createTableSql(meter)).toBe(
      'CREATE TABLE IF NOT EXISTS "meter" ("device" SYMBOL, "power" DOUBLE, "energy" LONG, "on" BOOLEAN, "ts" TIMESTAMP)' +
        ' TIMESTAMP("ts") PARTITION BY DAY WAL DEDUP UPSERT KEYS("ts", "device")',
    );
  });

  it('defaults the symbols to device and takes TTL, partitioning and extra symbols', () => {
    expect(createTableSql({ table: 't', columns: [{ name: 'v', type: 'float' }] })).toContain(
      '("device" SYMBOL, "v" FLOAT, "ts" TIMESTAMP)',
    );
    const sql = createTableSql({
      table: 't',
      symbols: ['device', 'site'],
      columns: [],
      partitionBy: 'HOUR',
      ttl: { value: 30, unit: 'DAYS' },
    });
    expect(sql).toContain('PARTITION BY HOUR TTL 30 DAYS WAL DEDUP UPSERT KEYS("ts", "device", "site")');
  });

  it('refuses injected, duplicate and inconsistent names', () => {
    expect(() => createTableSql({ ...meter, table: 'meter"; DROP TABLE x; --' })).toThrow(InvalidIdentifierError);
    expect(() => createTableSql({ ...meter, columns: [{ name: 'p) ; --', type: 'double' }] })).toThrow(
      InvalidIdentifierError,
    );
    expect(() =>
      createTableSql({
        ...meter,
        columns: [
          { name: 'Power', type: 'double' },
          { name: 'power', type: 'long' },
        ],
      }),
    ).toThrow(/declared twice/);
    expect(() => createTableSql({ ...meter, columns: [{ name: 'device', type: 'double' }] })).toThrow(/declared twice/);
    expect(() => createTableSql({ ...meter, dedupKeys: ['device'] })).toThrow(/must include the timestamp/);
    expect(() => createTableSql({ ...meter, dedupKeys: ['ts', 'nope'] })).toThrow(/not a column/);
    expect(() => createTableSql({ ...meter, columns: [{ name: 'ts', type: 'double' }] })).toThrow(TableLayoutError);
    expect(() => createTableSql({ table: 't', columns: [{ name: 'x', type: 'json' as never }] })).toThrow(
      TableLayoutError,
    );
  });

  it('accepts the timestamp among the columns when typed as one', () => {
    const layout = normalizeLayout({ ...meter, columns: [...meter.columns, { name: 'ts', type: 'timestamp' }] });
    expect(layout.columns.map((c) => c.name)).toEqual(['power', 'energy', 'on']);
  });
});

describe('planTableEvolution', () => {
  it('adds missing columns one statement each, never drops, and reports type conflicts', () => {
    const existing = [
      { name: 'device', type: 'SYMBOL' },
      { name: 'POWER', type: 'LONG' },
      { name: 'legacy', type: 'VARCHAR' },
      { name: 'ts', type: 'TIMESTAMP' },
    ];
    const plan = planTableEvolution(meter, existing);
    expect(plan.statements).toEqual([
      'ALTER TABLE "meter" ADD COLUMN IF NOT EXISTS "energy" LONG',
      'ALTER TABLE "meter" ADD COLUMN IF NOT EXISTS "on" BOOLEAN',
    ]);
    expect(plan.conflicts).toEqual([{ column: 'power', declared: 'double', existing: 'LONG' }]);
    expect(plan.statements.join(' ')).not.toMatch(/DROP|legacy/);
  });

  it('plans nothing for a table that matches', () => {
    const existing = [
      { name: 'device', type: 'SYMBOL' },
      { name: 'power', type: 'DOUBLE' },
      { name: 'energy', type: 'LONG' },
      { name: 'on', type: 'BOOLEAN' },
      { name: 'ts', type: 'TIMESTAMP' },
    ];
    expect(planTableEvolution(meter, existing)).toEqual({ statements: [], added: [], conflicts: [] });
  });
});

describe('setTtlSql', () => {
  it('sets and clears retention', () => {
    expect(setTtlSql('meter', { value: 2, unit: 'WEEKS' })).toBe('ALTER TABLE "meter" SET TTL 2 WEEKS');
    expect(setTtlSql('meter', undefined)).toBe('ALTER TABLE "meter" SET TTL 0 HOURS');
    expect(() => setTtlSql('meter', { value: -1, unit: 'DAYS' })).toThrow();
  });
});

describe('downsampleViews', () => {
  it('builds 1m from the table, 1h from 1m and 1d from 1h with count-weighted averages', () => {
    const views = downsampleViews(meter, { ttl: { '1m': { value: 7, unit: 'DAYS' } } });
    expect(views.map((v) => [v.name, v.source])).toEqual([
      ['meter_1m', 'meter'],
      ['meter_1h', 'meter_1m'],
      ['meter_1d', 'meter_1h'],
    ]);
    const [m, h] = views;
    expect(m?.sql).toBe(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS "meter_1m" AS (SELECT "ts", "device", ' +
        'avg("power") "power_avg", min("power") "power_min", max("power") "power_max", first("power") "power_first", last("power") "power_last", count("power") "power_count", ' +
        'avg("energy") "energy_avg", min("energy") "energy_min", max("energy") "energy_max", first("energy") "energy_first", last("energy") "energy_last", count("energy") "energy_count" ' +
        'FROM "meter" SAMPLE BY 1m) PARTITION BY DAY TTL 7 DAYS',
    );
    expect(h?.sql).toContain('sum("power_avg" * "power_count") / sum("power_count") "power_avg"');
    expect(h?.sql).toContain('sum("power_count") "power_count"');
    expect(h?.sql).toContain('FROM "meter_1m" SAMPLE BY 1h) PARTITION BY MONTH');
    expect(h?.sql).not.toContain('"on_');
  });

  it('chains from the finest requested tier and skips tables without numbers', () => {
    const views = downsampleViews(meter, { tiers: ['1d', '1h'] });
    expect(views.map((v) => [v.name, v.source])).toEqual([
      ['meter_1h', 'meter'],
      ['meter_1d', 'meter_1h'],
    ]);
    expect(views[0]?.sql).toContain('avg("power") "power_avg"');
    expect(downsampleViews({ table: 'flags', columns: [{ name: 'on', type: 'boolean' }] })).toEqual([]);
  });

  it('refuses aggregate names that clash with a symbol', () => {
    expect(() =>
      downsampleViews({ table: 't', symbols: ['device', 'v_avg'], columns: [{ name: 'v', type: 'double' }] }),
    ).toThrow(/clashes/);
  });
});
