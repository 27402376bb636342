import { z } from 'zod';
import { defineNode, type Msg } from '@gridflow/runtime';
import { boolish, stringish, typedValueProblem } from '../../shared/typed-value.js';
import {
  compileRule,
  isAsyncSource,
  jsonataValue,
  operators,
  ruleProblem,
  ruleSchema,
  syncValue,
  type CompiledRule,
  type Parts,
  type ValueSource,
} from './switch-rules.js';
import { createSwitchSequences } from './switch-sequence.js';

const configSchema = z
  .object({
    name: stringish(),
    property: stringish('payload'),
    propertyType: stringish('msg').pipe(z.enum(['msg', 'flow', 'global', 'jsonata', 'env'])),
    rules: z.array(ruleSchema).default([]),
    /** "true": send to every matching output; "false": stop at the first match. */
    checkall: stringish('true').pipe(z.enum(['true', 'false'])),
    repair: boolish(false),
  })
  .superRefine((cfg, c) => {
    if (cfg.propertyType === 'jsonata') {
      const problem = typedValueProblem(cfg.property, 'jsonata');
      if (problem) c.addIssue({ code: 'custom', path: ['property'], message: problem });
    }
    cfg.rules.forEach((rule, i) => {
      const problem = ruleProblem(rule);
      if (problem) c.addIssue({ code: 'custom', path: ['rules', i, problem.key], message: `rule ${i + 1}: ${problem.message}` });
    });
  });

interface RuleState {
  elseflag: boolean;
  onward: (Msg | null)[];
}

function partsOf(msg: Msg): Parts | undefined {
  const parts = msg['parts'];
  if (parts === null || typeof parts !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(parts, 'id') && Object.prototype.hasOwnProperty.call(parts, 'index')
    ? (parts as Parts)
    : undefined;
}

export const switchNode = defineNode({
  type: 'switch',
  category: 'core',
  inputs: 1,
  outputs: (raw) => (Array.isArray(raw['rules']) ? raw['rules'].length : 1),
  config: configSchema,
  label: 'switch',
  icon: 'switch.svg',
  color: '#E2D96E',
  help: [
    'Routes messages by the value of a property: one output per rule.',
    '',
    'Rules compare the property (a message property, flow/global context, env variable or JSONata result) with a value: `==`, `!=`, `<`, `<=`, `>`, `>=`, between, contains, matches regex, is true/false/null/not null, is of type, is empty/not empty, has key, the head/tail/index range of a message sequence, a JSONata expression, or *otherwise*.',
    '',
    '*Checking all rules* sends the message to every output whose rule matches; *stopping after first match* only to the first.',
    '',
    '*Recreate message sequences* gives each output\'s share of a sequence (`msg.parts`) its own complete sequence.',
  ].join('\n'),
  create(ctx, config) {
    const rules = config.rules.map((r) => compileRule(ctx, r));
    const property: ValueSource =
      config.propertyType === 'jsonata'
        ? compileRule(ctx, { t: 'jsonata_exp', v: config.property, vt: 'jsonata', case: false }).v1
        : { kind: 'eval', value: config.property, type: config.propertyType };
    const checkall = config.checkall !== 'false';
    const needsCount = config.repair || rules.some((r) => r.t === 'tail');
    const isAsync = isAsyncSource(property) || rules.some((r) => isAsyncSource(r.v1) || isAsyncSource(r.v2));
    const sequences = createSwitchSequences();
    let previous: unknown = null;

    /** Applies one rule; false when no further rule should be checked. */
    const step = (msg: Msg, state: RuleState, rule: CompiledRule, value: unknown, v1: unknown, v2: unknown): boolean => {
      let a = value;
      if (rule.t === 'else') {
        a = state.elseflag;
        state.elseflag = true;
      }
      const b = rule.t === 'regex' ? (rule.re ?? new RegExp(v1 as string, rule.caseInsensitive ? 'i' : '')) : v1;
      if (operators[rule.t](a, b, v2, rule.caseInsensitive, msg['parts'] as Parts)) {
        state.onward.push(msg);
        state.elseflag = false;
        if (!checkall) return false;
      } else state.onward.push(null);
      return true;
    };

    const evaluateSync = (msg: Msg): (Msg | null)[] => {
      const value = syncValue(ctx, property, msg, previous);
      const state: RuleState = { elseflag: true, onward: [] };
      for (const rule of rules) {
        const v1 = syncValue(ctx, rule.v1, msg, previous);
        const v2 = syncValue(ctx, rule.v2, msg, previous);
        if (!step(msg, state, rule, value, v1, v2)) break;
      }
      previous = value;
      return state.onward;
    };

    const valueOf = (s: ValueSource, msg: Msg, rule: CompiledRule | undefined): unknown | Promise<unknown> =>
      s.kind === 'jsonata' ? jsonataValue(s, msg, rule?.t ?? 'eq') : syncValue(ctx, s, msg, previous);

    const evaluateAsync = async (msg: Msg): Promise<(Msg | null)[] | undefined> => {
      let value: unknown;
      try {
        value = await valueOf(property, msg, undefined);
      } catch (err) {
        // Node-RED warns and drops the message when the property expression fails.
        ctx.warn(String((err as Error).message ?? err));
        return undefined;
      }
      const state: RuleState = { elseflag: true, onward: [] };
      for (const rule of rules) {
        const v1 = await valueOf(rule.v1, msg, rule);
        const v2 = await valueOf(rule.v2, msg, rule);
        if (!step(msg, state, rule, value, v1, v2)) break;
      }
      previous = value;
      return state.onward;
    };

    const deliver = (msg: Msg, onward: (Msg | null)[] | undefined) => {
      if (!onward) return;
      const parts = partsOf(msg);
      if (!config.repair || !parts) return ctx.send(onward);
      for (const ports of sequences.collect(onward, parts, rules.length) ?? []) ctx.send(ports);
    };

    /** Runs one message; sequences that need their length are held until complete. */
    const processSync = (msg: Msg, checkParts: boolean): void => {
      const parts = partsOf(msg);
      if (needsCount && checkParts && parts) {
        for (const m of sequences.hold(msg, parts) ?? []) {
          try {
            processSync(m, false);
          } catch (err) {
            ctx.error(err, m);
          }
        }
        return;
      }
      deliver(msg, evaluateSync(msg));
    };

    const processAsync = async (msg: Msg, checkParts: boolean): Promise<void> => {
      const parts = partsOf(msg);
      if (needsCount && checkParts && parts) {
        for (const m of sequences.hold(msg, parts) ?? []) {
          try {
            await processAsync(m, false);
          } catch (err) {
            ctx.error(err, m);
          }
        }
        return;
      }
      deliver(msg, await evaluateAsync(msg));
    };

    // JSONata makes evaluation asynchronous; messages still leave in the order they came.
    let queue: Promise<void> = Promise.resolve();
    return {
      input(msg, _send, done) {
        if (!isAsync) {
          try {
            processSync(msg, true);
          } catch (err) {
            return done(err);
          }
          return done();
        }
        queue = queue.then(() => processAsync(msg, true).then(() => done(), done));
      },
      close() {
        sequences.clear();
      },
    };
  },
});
