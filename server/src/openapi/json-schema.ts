import { z } from 'zod';
import type { Endpoint } from '@gridflow/runtime/contract';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

export type SchemaIo = 'input' | 'output';

/** One property of an object schema, with whether it must be given. */
export interface SchemaProperty {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/**
 * The route table's zod schemas as OpenAPI components. Each schema the contract exports gets a
 * component named after it (`alertRecordSchema` → `AlertRecord`), and a schema used inside another
 * is a `$ref`, so a large model (a thing model) is written once, not in every operation that uses
 * it. Request parts are converted as a client sends them (`input`: defaults make a field optional,
 * coercions accept strings) under `…Input` names; answers as the server sends them (`output`).
 * Parts JSON Schema cannot say (transforms, preprocessors) become `{}`: the server still checks them.
 */
export interface SchemaCatalog {
  /** A `$ref` to the component of this schema. */
  ref(schema: z.ZodType, io: SchemaIo): JsonSchema;
  /** The properties of an object schema (a query string's parameters). */
  properties(schema: z.ZodType, io: SchemaIo): SchemaProperty[];
  /** The components that `refs` reach, directly or through other components. */
  components(used: unknown): Record<string, JsonSchema>;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const componentName = (id: string, io: SchemaIo) => (io === 'input' ? `${id}Input` : id);
const REF_PREFIX = '#/components/schemas/';

function convert(registry: z.core.$ZodRegistry<{ id: string }>, io: SchemaIo): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    uri: (id) => `${REF_PREFIX}${componentName(id, io)}`,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // OpenAPI 3.1 schemas are draft 2020-12 already, and a component is named by its key.
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    out[componentName(id, io)] = rest;
  }
  return out;
}

function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) found.add(v.slice(REF_PREFIX.length));
      else refsIn(v, found);
    }
  }
}

/**
 * Builds the catalog for a route table. `named` are the contract's exports (any value; the zod
 * schemas among those named `…Schema` are used); schemas of the table that are not among them are
 * named after their route (`listEdges` response → `ListEdgesResponse`).
 */
export function createSchemaCatalog(
  routes: Readonly<Record<string, Endpoint>>,
  named: Readonly<Record<string, unknown>>,
): SchemaCatalog {
  const registry = z.registry<{ id: string }>();
  for (const [exportName, value] of Object.entries(named)) {
    if (!(value instanceof z.ZodType) || !exportName.endsWith('Schema') || registry.has(value)) continue;
    registry.add(value, { id: pascal(exportName.slice(0, -'Schema'.length)) });
  }
  for (const [routeName, route] of Object.entries(routes)) {
    const parts = [
      ['Body', route.body],
      ['Query', route.query],
      ['Response', route.response],
    ] as const;
    for (const [part, schema] of parts)
      if (schema && !registry.has(schema)) registry.add(schema, { id: `${pascal(routeName)}${part}` });
  }
  const all: Record<string, JsonSchema> = { ...convert(registry, 'output'), ...convert(registry, 'input') };

  const idOf = (schema: z.ZodType): string => {
    const id = registry.get(schema)?.id;
    if (!id) throw new Error('a route schema is missing from the schema catalog');
    return id;
  };

  return {
    ref: (schema, io) => ({ $ref: `${REF_PREFIX}${componentName(idOf(schema), io)}` }),
    properties(schema, io) {
      const json = all[componentName(idOf(schema), io)] ?? {};
      const properties = json['properties'];
      if (properties === null || typeof properties !== 'object') return [];
      const required = new Set(Array.isArray(json['required']) ? json['required'].map(String) : []);
      return Object.entries(properties as Record<string, JsonSchema>).map(([name, s]) => ({
        name,
        schema: s,
        required: required.has(name),
      }));
    },
    components(used) {
      const reached = new Set<string>();
      const queue = new Set<string>();
      refsIn(used, queue);
      while (queue.size) {
        const [name] = queue;
        queue.delete(name as string);
        if (reached.has(name as string)) continue;
        reached.add(name as string);
        const schema = all[name as string];
        if (!schema) throw new Error(`the document refers to a missing schema component "${name as string}"`);
        const next = new Set<string>();
        refsIn(schema, next);
        for (const n of next) if (!reached.has(n)) queue.add(n);
      }
      return Object.fromEntries([...reached].sort().map((name) => [name, all[name] as JsonSchema]));
    },
  };
}
