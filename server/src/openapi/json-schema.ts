import { z } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/**
 * The JSON Schema of a zod schema as a client sees it: `input` for what a client sends (defaults
 * make a field optional, coercions accept strings), `output` for what the server answers.
 * Parts JSON Schema cannot say (transforms, preprocessors) become `{}`, "anything", rather than
 * failing the whole document; the server still validates them with zod.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
  // The dialect is the document's (jsonSchemaDialect), not repeated in every schema.
  delete json['$schema'];
  return json;
}

/** One property of an object schema, with whether it must be given. */
export interface SchemaProperty {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** The properties of an object schema (a query string's parameters); none for other schemas. */
export function objectProperties(schema: JsonSchema): SchemaProperty[] {
  const properties = schema['properties'];
  if (properties === null || typeof properties !== 'object') return [];
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}
