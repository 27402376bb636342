import { validateSchema, type JsonSchema } from './json-schema.js';
import { configRefType } from './query.js';
import { checkTypedValue, findTypedInputs } from './typed-input.js';
import type { Catalog, FlowDoc, FlowNode, NodeProblem, NodeTypeInfo } from './types.js';
import type { TypedInputPair } from './typed-input.js';

/** What checking a node of one type needs from its schema, worked out once per type and catalog. */
interface TypePlan {
  topLevel: JsonSchema;
  /** Properties that refer to a config node, with the config type. */
  refs: [string, string][];
}

const plans = new WeakMap<NodeTypeInfo, { catalog: Catalog | undefined; plan: TypePlan }>();
const pairCache = new WeakMap<Record<string, JsonSchema>, TypedInputPair[]>();

function typedPairs(props: Record<string, JsonSchema>): TypedInputPair[] {
  let pairs = pairCache.get(props);
  if (!pairs) {
    pairs = findTypedInputs(props);
    pairCache.set(props, pairs);
  }
  return pairs;
}

function planFor(info: NodeTypeInfo, schema: JsonSchema, catalog: Catalog | undefined): TypePlan {
  const cached = plans.get(info);
  if (cached && cached.catalog === catalog) return cached.plan;
  // Layout fields are not the schema's business, and a property with a default may be left out.
  const topLevel: JsonSchema = {
    ...schema,
    additionalProperties: undefined,
    required: (schema.required ?? []).filter((k) => info.defaults?.[k] === undefined),
  };
  const refs: [string, string][] = [];
  for (const key of Object.keys(schema.properties ?? {})) {
    const refType = configRefType(info, key, catalog);
    if (refType) refs.push([key, refType]);
  }
  const plan = { topLevel, refs };
  plans.set(info, { catalog, plan });
  return plan;
}

/** Fields every flows.json entry has; the node type's schema is about the rest. */
const STRUCTURAL = new Set(['id', 'type', 'z', 'g', 'wires', 'x', 'y', 'd', 'l']);

/** Checks a node against its type before a deploy, as the server will; returns its problems. */
export function validateNode(node: FlowNode, info: NodeTypeInfo | undefined, doc: FlowDoc, catalog?: Catalog): NodeProblem[] {
  const problems: NodeProblem[] = [];
  const add = (message: string, property?: string): void => {
    problems.push({ nodeId: node.id, type: node.type, property, message, source: 'local' });
  };
  if (node.type === 'tab' || node.type === 'subflow' || node.type === 'group' || node.type === 'junction') return problems;
  if (node.type.startsWith('subflow:')) {
    if (!doc.some((n) => n.id === node.type.slice(8) && n.type === 'subflow')) add(`subflow ${node.type.slice(8)} is missing`);
    return problems;
  }
  if (!info) {
    add(`unknown node type "${node.type}"`);
    return problems;
  }
  const schema = info.schema;
  if (!schema) return problems;
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!STRUCTURAL.has(k)) own[k] = v;
  const { topLevel, refs } = planFor(info, schema, catalog);
  for (const issue of validateSchema(topLevel, own, '', { lenient: true })) {
    const property = issue.path.split('.')[0] || undefined;
    add(`${issue.path || 'properties'} ${issue.message}`, property);
  }
  checkTypedInputs(schema, own, '', add);
  for (const [key, refType] of refs) {
    const value = own[key];
    if (typeof value === 'string' && value !== '') {
      const target = doc.find((n) => n.id === value);
      if (!target) add(`${key}: config node ${value} does not exist`, key);
      else if (target.type !== refType) add(`${key}: ${value} is a ${target.type}, expected ${refType}`, key);
    }
  }
  return problems;
}

function checkTypedInputs(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
  add: (message: string, property?: string) => void,
): void {
  const props = schema.properties ?? {};
  for (const pair of typedPairs(props)) {
    const type = value[pair.typeKey] ?? props[pair.typeKey]?.default ?? 'str';
    if (typeof type !== 'string') continue;
    const problem = checkTypedValue(type, value[pair.valueKey]);
    const at = path ? `${path}.${pair.valueKey}` : pair.valueKey;
    if (problem) add(`${at}: ${problem}`, (path || pair.valueKey).split('.')[0]);
  }
  for (const [key, sub] of Object.entries(props)) {
    const items = sub.items;
    const list = value[key];
    if (!items?.properties || !Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (item && typeof item === 'object') {
        checkTypedInputs(items, item as Record<string, unknown>, `${path ? `${path}.` : ''}${key}.${i}`, add);
      }
    });
  }
}

/** Problems of every node in a document, by node id. */
export function validateDoc(doc: FlowDoc, catalog: Catalog): Map<string, NodeProblem[]> {
  const out = new Map<string, NodeProblem[]>();
  for (const n of doc) {
    const problems = validateNode(n, catalog.get(n.type), doc, catalog);
    if (problems.length > 0) out.set(n.id, problems);
  }
  return out;
}
