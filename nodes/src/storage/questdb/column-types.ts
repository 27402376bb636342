import { z } from 'zod';

/**
 * The column types Gridflow creates and writes. Each one maps to a QuestDB SQL type and to the
 * ILP field kind that QuestDB accepts for it, so a declared type drives both the DDL and the encoding.
 */
export const columnTypes = [
  'double',
  'float',
  'long',
  'int',
  'short',
  'byte',
  'boolean',
  'varchar',
  'symbol',
  'timestamp',
  'uuid',
] as const;
export type ColumnType = (typeof columnTypes)[number];
export const columnTypeSchema = z.enum(columnTypes);

/** How a value travels over ILP. */
export type IlpKind = 'float' | 'int' | 'boolean' | 'string' | 'symbol' | 'timestamp';

const ILP_KIND: Record<ColumnType, IlpKind> = {
  double: 'float',
  float: 'float',
  long: 'int',
  int: 'int',
  short: 'int',
  byte: 'int',
  boolean: 'boolean',
  varchar: 'string',
  uuid: 'string',
  symbol: 'symbol',
  timestamp: 'timestamp',
};

export function ilpKind(type: ColumnType): IlpKind {
  return ILP_KIND[type];
}

export function sqlType(type: ColumnType): string {
  return type.toUpperCase();
}

/** Types that downsampling aggregates (avg, min, max, first, last). */
export function isNumericType(type: ColumnType): boolean {
  return ILP_KIND[type] === 'float' || ILP_KIND[type] === 'int';
}

/** The type a column gets when nothing declares it, from a sample value; undefined when it has none. */
export function inferColumnType(value: unknown): ColumnType | undefined {
  switch (typeof value) {
    case 'number':
      return 'double';
    case 'bigint':
      return 'long';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'varchar';
    default:
      return value instanceof Date ? 'timestamp' : undefined;
  }
}

/** QuestDB's own type names (SHOW COLUMNS) back to ours; undefined for types Gridflow does not create. */
export function fromQuestDbType(questdbType: string): ColumnType | undefined {
  const t = questdbType.toLowerCase();
  return (columnTypes as readonly string[]).includes(t) ? (t as ColumnType) : undefined;
}
