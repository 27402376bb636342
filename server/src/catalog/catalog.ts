import { z } from 'zod';
import type { AnyNodeDefinition, Registry } from '@gridflow/runtime';
import type { NodeCatalogEntry } from '@gridflow/runtime/contract';

/**
 * The JSON Schema of a node's properties as the editor fills them in (`io: 'input'`: defaults
 * make fields optional). Parts zod cannot express (transforms, custom checks) become `{}`;
 * a schema that fails entirely becomes `{}` so one odd node type cannot break the catalog.
 */
export function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return json;
  } catch {
    // Not representable (e.g. a cycle zod cannot name): the editor falls back to a raw JSON form.
    return {};
  }
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Top-level property defaults of a JSON Schema (including those of `allOf` parts). */
export function defaultsOf(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  const collect = (s: unknown) => {
    if (!isObject(s)) return;
    const props = s['properties'];
    if (isObject(props)) {
      for (const [key, prop] of Object.entries(props)) {
        if (isObject(prop) && 'default' in prop && !(key in out)) out[key] = structuredClone(prop['default']);
      }
    }
    const allOf = s['allOf'];
    if (Array.isArray(allOf)) allOf.forEach(collect);
  };
  collect(schema);
  return out;
}

/**
 * What each top-level field becomes when left out, asked of the zod schema itself: Node-RED-style
 * fields (numbers stored as strings, blanks meaning the default) are preprocessed, and JSON Schema
 * cannot carry their defaults, so a node dropped from the palette would start with them empty.
 */
export function fieldDefaults(schema: z.ZodType): JsonObject {
  const out: JsonObject = {};
  if (!(schema instanceof z.ZodObject)) return out;
  for (const [key, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(undefined);
    if (parsed.success && isJsonValue(parsed.data)) out[key] = parsed.data;
  }
  return out;
}

function isJsonValue(v: unknown): boolean {
  if (v === undefined || typeof v === 'function' || typeof v === 'bigint') return false;
  try {
    return JSON.stringify(v) !== undefined;
  } catch {
    return false;
  }
}

export function catalogEntry(def: AnyNodeDefinition): NodeCatalogEntry {
  const schema = configJsonSchema(def.config);
  return {
    type: def.type,
    category: def.category,
    inputs: def.inputs,
    outputs: typeof def.outputs === 'number' ? def.outputs : null,
    ...(def.label !== undefined ? { label: def.label } : {}),
    ...(def.paletteLabel !== undefined ? { paletteLabel: def.paletteLabel } : {}),
    ...(def.icon !== undefined ? { icon: def.icon } : {}),
    ...(def.color !== undefined ? { color: def.color } : {}),
    ...(def.help !== undefined ? { help: def.help } : {}),
    ...(def.outputLabels !== undefined ? { outputLabels: def.outputLabels } : {}),
    isConfig: def.isConfig === true,
    ...(def.role !== undefined ? { role: def.role } : {}),
    version: def.version ?? 1,
    schema,
    defaults: { ...fieldDefaults(def.config), ...defaultsOf(schema) },
  };
}

/** The node catalog of a registry, computed once (registries do not change while a server runs). */
export function buildCatalog(registry: Registry): NodeCatalogEntry[] {
  return registry
    .definitions()
    .map(catalogEntry)
    .sort((a, b) => a.category.localeCompare(b.category) || a.type.localeCompare(b.type));
}
