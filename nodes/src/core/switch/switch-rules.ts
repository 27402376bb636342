import { z } from 'zod';
import type { Msg, NodeContext } from '@gridflow/runtime';
import { nodeShim, nrUtil, type JsonataExpression } from '../../shared/node-red-util.js';
import { boolish, typedValueProblem } from '../../shared/typed-value.js';

export const RULE_TYPES = [
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'btwn', 'cont', 'regex', 'true', 'false', 'null', 'nnull', 'istype',
  'empty', 'nempty', 'head', 'tail', 'index', 'hask', 'jsonata_exp', 'else',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const ruleSchema = z
  .object({
    t: z.enum(RULE_TYPES),
    v: z.unknown().optional(),
    vt: z.string().optional(),
    v2: z.unknown().optional(),
    v2t: z.string().optional(),
    case: boolish(false),
  })
  .passthrough();
export type RawRule = z.infer<typeof ruleSchema>;

export interface Parts {
  id?: unknown;
  index: number;
  count: number;
}

type Operator = (a: unknown, b: unknown, c: unknown, d: boolean, parts: Parts) => boolean;
const cmp = (a: unknown, b: unknown) => [a as number, b as number] as const;
function sizeOf(a: unknown): number | undefined {
  if (typeof a === 'string' || Array.isArray(a) || Buffer.isBuffer(a)) return a.length;
  if (typeof a === 'object' && a !== null) return Object.keys(a).length;
  return undefined;
}

/** Node-RED's switch operators, with the same loose comparisons. */
export const operators: Record<RuleType, Operator> = {
  eq: (a, b) => a == b,
  neq: (a, b) => a != b,
  lt: (a, b) => cmp(a, b)[0] < cmp(a, b)[1],
  lte: (a, b) => cmp(a, b)[0] <= cmp(a, b)[1],
  gt: (a, b) => cmp(a, b)[0] > cmp(a, b)[1],
  gte: (a, b) => cmp(a, b)[0] >= cmp(a, b)[1],
  btwn: (a, b, c) => {
    const [x, lo, hi] = [a as number, b as number, c as number];
    return (x >= lo && x <= hi) || (x <= lo && x >= hi);
  },
  cont: (a, b) => String(a).includes(b as string),
  // `b` is a RegExp already compiled with the rule's case flag (see compileRule).
  regex: (a, b) => (b as RegExp).test(String(a)),
  true: (a) => a === true,
  false: (a) => a === false,
  null: (a) => a === undefined || a === null,
  nnull: (a) => a !== undefined && a !== null,
  empty: (a) => sizeOf(a) === 0,
  nempty: (a) => {
    const n = sizeOf(a);
    return n !== undefined && n !== 0;
  },
  istype: (a, b) => {
    if (b === 'array') return Array.isArray(a);
    if (b === 'buffer') return Buffer.isBuffer(a);
    if (b === 'json') {
      try {
        JSON.parse(a as string);
        return true;
      } catch {
        return false;
      }
    }
    if (b === 'null') return a === null;
    if (b === 'number') return typeof a === 'number' && !isNaN(a);
    return typeof a === b && !Array.isArray(a) && !Buffer.isBuffer(a) && a !== null;
  },
  head: (_a, b, _c, _d, parts) => parts.index < Number(b),
  tail: (_a, b, _c, _d, parts) => parts.count - Number(b) <= parts.index,
  index: (_a, b, c, _d, parts) => Number(b) <= parts.index && parts.index <= Number(c),
  hask: (a, b) =>
    a !== undefined && a !== null && typeof b !== 'object' && Object.prototype.hasOwnProperty.call(a, String(b)),
  jsonata_exp: (_a, b) => b === true,
  else: (a) => a === true,
};

/** How a rule's value is obtained per message. */
export type ValueSource =
  | { kind: 'const'; value: unknown }
  | { kind: 'prev' }
  | { kind: 'jsonata'; expr: JsonataExpression }
  | { kind: 'eval'; value: unknown; type: string };

export interface CompiledRule {
  t: RuleType;
  v1: ValueSource;
  v2: ValueSource;
  caseInsensitive: boolean;
  /** A regex rule with a constant pattern, compiled once. */
  re?: RegExp;
}

const defaultType = (v: unknown) => (!isNaN(Number(v)) ? 'num' : 'str');

function source(ctx: NodeContext, value: unknown, type: string): ValueSource {
  if (type === 'prev') return { kind: 'prev' };
  if (type === 'jsonata') return { kind: 'jsonata', expr: nrUtil.prepareJSONataExpression(String(value ?? ''), nodeShim(ctx)) };
  // Node-RED's own quirks: these two types stand for their names.
  if (type === 'json') return { kind: 'const', value: 'json' };
  if (type === 'null') return { kind: 'const', value: 'null' };
  if (type === 'num') return { kind: 'const', value: isNaN(Number(value)) ? value : Number(value) };
  if (type === 'str') return { kind: 'const', value: value === undefined ? 'undefined' : String(value) };
  return { kind: 'eval', value, type };
}

/** Why a rule cannot be compiled, for the deploy check. */
export function ruleProblem(rule: RawRule): { key: 'v' | 'v2'; message: string } | undefined {
  const vt = rule.vt ?? defaultType(rule.v);
  if (rule.t !== 'istype') {
    const p1 = vt === 'jsonata' ? typedValueProblem(rule.v, vt) : undefined;
    if (p1) return { key: 'v', message: p1 };
    if (rule.v2 !== undefined) {
      const v2t = rule.v2t ?? defaultType(rule.v2);
      const p2 = v2t === 'jsonata' ? typedValueProblem(rule.v2, v2t) : undefined;
      if (p2) return { key: 'v2', message: p2 };
    }
  }
  if (rule.t === 'regex' && (vt === 'str' || vt === 're')) {
    try {
      new RegExp(String(rule.v ?? ''));
    } catch (err) {
      return { key: 'v', message: `invalid regular expression: ${(err as Error).message}` };
    }
  }
  return undefined;
}

export function compileRule(ctx: NodeContext, rule: RawRule): CompiledRule {
  const vt = rule.vt ?? defaultType(rule.v);
  const v1 = source(ctx, rule.v, vt);
  const v2: ValueSource =
    rule.v2 === undefined ? { kind: 'const', value: undefined } : source(ctx, rule.v2, rule.v2t ?? defaultType(rule.v2));
  const compiled: CompiledRule = { t: rule.t, v1, v2, caseInsensitive: rule.case };
  if (rule.t === 'regex' && v1.kind === 'const') compiled.re = new RegExp(String(v1.value), rule.case ? 'i' : '');
  return compiled;
}

export function isAsyncSource(s: ValueSource): boolean {
  return s.kind === 'jsonata';
}

/** Evaluates a non-JSONata value; evaluation errors read as undefined, as in Node-RED. */
export function syncValue(ctx: NodeContext, s: ValueSource, msg: Msg, previous: unknown): unknown {
  if (s.kind === 'const') return s.value;
  if (s.kind === 'prev') return previous;
  if (s.kind === 'jsonata') throw new Error('JSONata values are evaluated asynchronously');
  try {
    return nrUtil.evaluateNodeProperty(s.value, s.type, nodeShim(ctx), msg);
  } catch {
    return undefined;
  }
}

export function jsonataValue(s: Extract<ValueSource, { kind: 'jsonata' }>, msg: Msg, t: RuleType): Promise<unknown> {
  const parts = msg['parts'] as Parts | undefined;
  if (t === 'jsonata_exp' && parts && typeof parts === 'object' && 'id' in parts && 'index' in parts) {
    s.expr.assign('I', parts.index);
    s.expr.assign('N', parts.count);
  }
  return new Promise((resolve, reject) =>
    nrUtil.evaluateJSONataExpression(s.expr, msg, (err, value) =>
      err ? reject(new Error(`Invalid JSONata expression: ${err.message}`)) : resolve(value),
    ),
  );
}
