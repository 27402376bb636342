import { z } from 'zod';

/** One node type as the editor needs it to draw the palette, the node and its form. */
export const nodeCatalogEntrySchema = z.object({
  type: z.string(),
  category: z.string(),
  inputs: z.number().int(),
  /** Fixed output count, or null when the node derives it from its properties (switch rules, function outputs). */
  outputs: z.number().int().nullable(),
  label: z.string().optional(),
  paletteLabel: z.string().optional(),
  icon: z.string().optional(),
  color: z.string().optional(),
  /** Markdown. */
  help: z.string().optional(),
  outputLabels: z.array(z.string()).optional(),
  isConfig: z.boolean(),
  role: z.string().optional(),
  version: z.number().int(),
  /** JSON Schema (draft 2020-12) of the node's properties, as input; {} when not representable. */
  schema: z.record(z.string(), z.unknown()),
  /** Property defaults taken from the schema: what a new node of this type starts with. */
  defaults: z.record(z.string(), z.unknown()),
});
export type NodeCatalogEntry = z.infer<typeof nodeCatalogEntrySchema>;

/** GET /api/nodes */
export const nodesResponseSchema = z.object({ nodes: z.array(nodeCatalogEntrySchema) });
export type NodesResponse = z.infer<typeof nodesResponseSchema>;
