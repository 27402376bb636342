import { z } from 'zod';
import { cloneMessage, defineNode, type ContextScope, type Msg, type NodeContext } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, compileTypedValue, stringish, typedValueProblem, type TypedValue } from '../../shared/typed-value.js';

const TO_TYPES = ['msg', 'flow', 'global', 'str', 'num', 'bool', 'json', 'bin', 'date', 'jsonata', 'env'];
const FROM_TYPES = ['msg', 'flow', 'global', 'str', 're', 'num', 'bool', 'env'];
const CONTEXT_TYPES = ['msg', 'flow', 'global'];

const ruleSchema = z
  .object({
    t: z.enum(['set', 'change', 'delete', 'move']),
    p: stringish(),
    pt: z.enum(['msg', 'flow', 'global']).optional(),
    to: z.unknown().optional(),
    tot: z.string().optional(),
    from: z.unknown().optional(),
    fromt: z.string().optional(),
    re: z.unknown().optional(),
    dc: boolish(false),
  })
  .passthrough();
type RawRule = z.infer<typeof ruleSchema>;

/** A rule after Node-RED's migrations: every type present, `to` and `from` as strings. */
interface Rule {
  t: 'set' | 'change' | 'delete' | 'move';
  p: string;
  pt: 'msg' | 'flow' | 'global';
  to: string;
  tot: string;
  from: string;
  fromt: string;
  dc: boolean;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const escapeRe = (s: string) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');

function normaliseRule(r: RawRule): Rule {
  const rule: Rule = { t: r.t, p: r.p, pt: r.pt ?? 'msg', to: str(r.to), tot: r.tot ?? '', from: str(r.from), fromt: r.fromt ?? '', dc: r.dc };
  if (rule.t === 'change' && r.re) rule.fromt = 're';
  if (rule.t === 'set' && !rule.tot && rule.to.startsWith('msg.')) {
    rule.to = rule.to.slice(4);
    rule.tot = 'msg';
  }
  rule.tot ||= 'str';
  rule.fromt ||= 'str';
  return rule;
}

const configSchema = z
  .object({
    name: stringish(),
    rules: z.array(ruleSchema).optional(),
    // Node-RED 0.x single-rule form, read when `rules` is missing.
    action: z.string().optional(),
    property: z.string().optional(),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
    reg: z.unknown().optional(),
  })
  .superRefine((cfg, c) => {
    rulesOf(cfg).forEach((rule, i) => {
      const at = (key: string) => (cfg.rules ? ['rules', i, key] : [key]);
      if (!rule.p && rule.t !== 'move') c.addIssue({ code: 'custom', path: at('p'), message: `rule ${i + 1}: property is empty` });
      if (rule.t !== 'delete') {
        if (!TO_TYPES.includes(rule.tot)) c.addIssue({ code: 'custom', path: at('tot'), message: `rule ${i + 1}: unsupported type "${rule.tot}"` });
        const problem = rule.t === 'set' || rule.t === 'change' ? typedValueProblem(rule.to, rule.tot) : undefined;
        if (problem) c.addIssue({ code: 'custom', path: at('to'), message: `rule ${i + 1}: ${problem}` });
      }
      if (rule.t === 'change') {
        if (!FROM_TYPES.includes(rule.fromt)) c.addIssue({ code: 'custom', path: at('fromt'), message: `rule ${i + 1}: unsupported type "${rule.fromt}"` });
        else if (!CONTEXT_TYPES.includes(rule.fromt)) {
          try {
            new RegExp(rule.fromt === 're' ? rule.from : escapeRe(rule.from), 'g');
          } catch (err) {
            c.addIssue({ code: 'custom', path: at('from'), message: `rule ${i + 1}: invalid 'from' property: ${(err as Error).message}` });
          }
        }
      }
      if (rule.t === 'move' && !CONTEXT_TYPES.includes(rule.tot)) {
        c.addIssue({ code: 'custom', path: at('tot'), message: `rule ${i + 1}: move target must be msg, flow or global` });
      }
    });
  });
type ChangeConfig = z.infer<typeof configSchema>;

function rulesOf(cfg: ChangeConfig): Rule[] {
  if (cfg.rules) return cfg.rules.map(normaliseRule);
  const t = cfg.action === 'replace' ? 'set' : cfg.action;
  if (t !== 'set' && t !== 'change' && t !== 'delete' && t !== 'move') return [];
  const raw: RawRule = { t, p: cfg.property ?? '', dc: false };
  if (t === 'set' || t === 'move') raw.to = cfg.to ?? '';
  if (t === 'change') Object.assign(raw, { from: cfg.from ?? '', to: cfg.to ?? '', re: cfg.reg === null || cfg.reg });
  return [normaliseRule(raw)];
}

/** One primitive step (a move is two or four of them), with its values compiled. */
interface Step {
  t: 'set' | 'change' | 'delete';
  p: string;
  pt: 'msg' | 'flow' | 'global';
  to?: TypedValue;
  tot: string;
  dc: boolean;
  from?: { type: string; value: string; re?: RegExp; context?: TypedValue };
}

interface FromParts {
  fromType: string;
  fromValue: unknown;
  fromRE: RegExp | undefined;
}

function fromValueType(value: unknown): FromParts {
  if (typeof value === 'number' || value instanceof Number) return { fromType: 'num', fromValue: value, fromRE: undefined };
  if (typeof value === 'boolean') return { fromType: 'bool', fromValue: value, fromRE: undefined };
  if (value instanceof RegExp) return { fromType: 're', fromValue: value, fromRE: value };
  if (typeof value === 'string') return { fromType: 'str', fromValue: value, fromRE: new RegExp(escapeRe(value), 'g') };
  throw new Error(`Invalid 'from' property: unsupported type: ${typeof value}`);
}

/** Node-RED's change semantics on one current value; `undefined` leaves the target as it is. */
function changed(current: unknown, value: unknown, from: FromParts, tot: string): { set: boolean; value?: unknown } {
  const { fromType, fromValue, fromRE } = from;
  if (typeof current === 'string') {
    if ((fromType === 'num' || fromType === 'bool' || fromType === 'str') && current === fromValue) return { set: true, value };
    let next: unknown = current.replace(fromRE as RegExp, value as string);
    // A boolean target that the replacement turned into "true"/"false" becomes the boolean.
    if (tot === 'bool' && next === String(value)) next = value;
    return { set: true, value: next };
  }
  if ((typeof current === 'number' || current instanceof Number) && fromType === 'num') {
    return Number(current) == Number(fromValue) ? { set: true, value } : { set: false };
  }
  if (typeof current === 'boolean' && fromType === 'bool') {
    return String(current) === String(fromValue) ? { set: true, value } : { set: false };
  }
  return { set: false };
}

function compileSteps(ctx: NodeContext, rules: Rule[]): Step[] {
  const typed = (v: string, t: string) => compileTypedValue(ctx, v, t);
  const steps: Step[] = [];
  const set = (p: string, pt: Step['pt'], to: string, tot: string, dc = false): Step => ({ t: 'set', p, pt, to: typed(to, tot), tot, dc });
  const del = (p: string, pt: Step['pt']): Step => ({ t: 'delete', p, pt, tot: 'str', dc: false });
  for (const r of rules) {
    if (r.t === 'move') {
      const pt = r.tot as Step['pt'];
      if (r.tot !== r.pt || (r.p.includes(r.to) && r.p !== r.to)) steps.push(set(r.to, pt, r.p, r.pt), del(r.p, r.pt));
      else steps.push(set('_temp_move', pt, r.p, r.pt), del(r.p, r.pt), set(r.to, pt, '_temp_move', r.pt), del('_temp_move', r.pt));
    } else if (r.t === 'delete') steps.push(del(r.p, r.pt));
    else if (r.t === 'set') steps.push(set(r.p, r.pt, r.to, r.tot, r.dc));
    else {
      const from: NonNullable<Step['from']> = { type: r.fromt, value: r.from };
      if (r.fromt === 'flow' || r.fromt === 'global') from.context = typed(r.from, r.fromt);
      else if (r.fromt !== 'msg') from.re = new RegExp(r.fromt === 're' ? r.from : escapeRe(r.from), 'g');
      steps.push({ t: 'change', p: r.p, pt: r.pt, to: typed(r.to, r.tot), tot: r.tot, dc: r.dc, from });
    }
  }
  return steps;
}

export const changeNode = defineNode({
  type: 'change',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'change',
  icon: 'swap.svg',
  color: '#E2D96E',
  help: [
    'Sets, changes, deletes or moves properties of a message, or of flow and global context.',
    '',
    '**Set** a property to a value (string, number, boolean, JSON, buffer, timestamp, another property, env variable or JSONata result); *deep copy* copies objects instead of sharing them.',
    '',
    '**Change** searches a string property and replaces the matches (a string, a regular expression, or a value from elsewhere); a number or boolean property is replaced when it equals the search value.',
    '',
    '**Delete** removes a property. **Move** sets a property to another one\'s value and deletes the original.',
    '',
    'Rules run in order; each sees the result of the one before.',
  ].join('\n'),
  create(ctx, config) {
    const steps = compileSteps(ctx, rulesOf(config));
    const isAsync = steps.some((s) => s.to?.async);

    const contextTarget = (pt: 'flow' | 'global', p: string, msg: Msg): { scope: ContextScope; key: string; store?: string } => {
      const key = nrUtil.parseContextStore(p);
      // Keys may embed message properties: flow.a[msg.topic].
      if (/\[msg/.test(key.key)) key.key = String(nrUtil.normalisePropertyExpression(key.key, msg, true));
      return { scope: ctx.context()[pt], key: key.key, ...(key.store ? { store: key.store } : {}) };
    };

    const fromParts = (step: Step, msg: Msg): FromParts | undefined => {
      const from = step.from;
      if (!from) return undefined;
      if (from.type === 'msg') return fromValueType(nrUtil.getMessageProperty(msg, from.value));
      if (from.context) return fromValueType(from.context.get(msg));
      return { fromType: from.type, fromValue: from.value, fromRE: from.re };
    };

    const apply = (step: Step, msg: Msg, toValue: unknown): void => {
      const value = step.dc ? cloneMessage(toValue) : toValue;
      const from = fromParts(step, msg);
      if (step.pt === 'msg') {
        try {
          if (step.t === 'delete') nrUtil.setMessageProperty(msg, step.p, undefined);
          else if (step.t === 'set') {
            if (!nrUtil.setMessageProperty(msg, step.p, value)) ctx.warn(`Cannot set property of non-object type: ${step.p}`);
          } else {
            const result = changed(nrUtil.getMessageProperty(msg, step.p), value, from as FromParts, step.tot);
            if (result.set) nrUtil.setMessageProperty(msg, step.p, result.value);
          }
        } catch {
          // Node-RED's rule: a property path that cannot be resolved leaves the message as it is.
        }
        return;
      }
      const { scope, key, store } = contextTarget(step.pt, step.p, msg);
      if (step.t === 'delete') scope.set(key, undefined, store);
      else if (step.t === 'set') scope.set(key, value, store);
      else {
        const result = changed(scope.get(key, store), value, from as FromParts, step.tot);
        if (result.set) scope.set(key, result.value, store);
      }
    };

    // A value that cannot be read (a bad property path) skips its rule, as in Node-RED.
    const SKIP = Symbol('skip');
    const toValue = (step: Step, msg: Msg): unknown => {
      try {
        return step.to ? step.to.get(msg) : undefined;
      } catch {
        return SKIP;
      }
    };

    if (!isAsync) {
      return {
        input(msg, send) {
          for (const step of steps) {
            const value = toValue(step, msg);
            if (value !== SKIP) apply(step, msg, value);
          }
          send(msg);
        },
      };
    }
    return {
      async input(msg, send, done) {
        for (const step of steps) {
          let value: unknown;
          if (step.to?.async) {
            try {
              value = await step.to.getAsync(msg);
            } catch (err) {
              // Node-RED reports this text (no error class name) with the message, then drops it.
              return done(`Invalid JSONata expression: ${(err as Error).message}`);
            }
          } else value = toValue(step, msg);
          if (value !== SKIP) apply(step, msg, value);
        }
        send(msg);
        done();
      },
    };
  },
});
