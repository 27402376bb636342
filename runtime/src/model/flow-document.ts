import { z } from 'zod';

/**
 * One entry of a Node-RED flows.json. Only the fields every entry shares are typed here;
 * a node's own properties are validated by its type's descriptor.
 */
export const flowNodeSchema = z
  .object({
    id: z.string().min(1, 'id must be a non-empty string'),
    type: z.string().min(1, 'type must be a non-empty string'),
    z: z.string().optional(),
    g: z.string().optional(),
    name: z.string().optional(),
    wires: z.array(z.array(z.string())).optional(),
    x: z.number().optional(),
    y: z.number().optional(),
    d: z.boolean().optional(),
  })
  .passthrough();

export type FlowNode = z.infer<typeof flowNodeSchema>;

/** A flows.json document: the array form, or the `{ flows, rev }` form of the admin API. */
export const flowDocumentSchema = z.union([
  z.array(flowNodeSchema),
  z.object({ flows: z.array(flowNodeSchema), rev: z.string().optional() }).passthrough(),
]);

export type FlowDocument = FlowNode[];

export interface SubflowPort {
  x?: number;
  y?: number;
  wires: { id: string; port?: number }[];
}

export interface EnvEntry {
  name: string;
  type: string;
  value: unknown;
}

export class FlowDocumentError extends Error {
  readonly code = 'FLOW_DOCUMENT_INVALID';
  constructor(
    message: string,
    readonly nodeId?: string,
    readonly nodeType?: string,
    readonly property?: string,
  ) {
    super(message);
    this.name = 'FlowDocumentError';
  }
}

/** Accepts both flows.json forms and returns the node array and the revision if one was given. */
export function parseFlowDocument(input: unknown): { flows: FlowDocument; rev?: string } {
  const result = flowDocumentSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    const index = Array.isArray(input) && issue && typeof issue.path[0] === 'number' ? issue.path[0] : undefined;
    const entry = index !== undefined ? (input as unknown[])[index] : undefined;
    const id = entry && typeof entry === 'object' && 'id' in entry ? String((entry as { id: unknown }).id) : undefined;
    throw new FlowDocumentError(
      `invalid flow document at ${path || '(root)'}: ${issue?.message ?? 'not a flows.json array'}`,
      id,
      undefined,
      issue ? String(issue.path[issue.path.length - 1] ?? '') : undefined,
    );
  }
  const data = result.data;
  const flows = Array.isArray(data) ? data : data.flows;
  const seen = new Set<string>();
  for (const node of flows) {
    if (seen.has(node.id)) throw new FlowDocumentError(`duplicate node id "${node.id}"`, node.id, node.type, 'id');
    seen.add(node.id);
  }
  return Array.isArray(data) ? { flows } : { flows, ...(data.rev !== undefined ? { rev: data.rev } : {}) };
}

export const isTab = (n: FlowNode): boolean => n.type === 'tab';
export const isSubflowDef = (n: FlowNode): boolean => n.type === 'subflow';
export const isGroup = (n: FlowNode): boolean => n.type === 'group';
export const isSubflowInstance = (n: FlowNode): boolean => n.type.startsWith('subflow:');
export const subflowIdOf = (n: FlowNode): string => n.type.slice('subflow:'.length);

/** A disabled tab is `disabled: true`; a disabled node is `d: true`. */
export const isDisabledTab = (n: FlowNode): boolean => n.type === 'tab' && n['disabled'] === true;
