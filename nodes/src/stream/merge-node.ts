import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { evaluateFormula, type FormulaValue } from './formula/evaluate.js';
import { FormulaError } from './formula/lexer.js';
import { parseFormula, type FormulaNode } from './formula/parser.js';
import { keyedSetup } from './keyed-node.js';
import { compileMsgPath, keyString, toNumber } from './message-access.js';
import { propertyType, whole } from './stream-config.js';
import { timeUnitSchema, toMs } from './time-units.js';

const RESERVED = new Set(['true', 'false', 'if', 'min', 'max', 'abs', 'round']);

const mergeInput = z.object({
  /** The name the formula uses. */
  name: z.string().regex(/^[A-Za-z_]\w*$/, 'an input name is a letter or _ followed by letters, digits or _'),
  /** The value of the input property (default msg.topic) that identifies this input. */
  match: z.string().min(1),
  /** Used until the input has sent a value; blank means wait for it. */
  initial: z.preprocess(
    (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v),
    z.number().optional(),
  ),
});

const mergeConfig = z
  .object({
    name: z.string().default(''),
    inputs: z.array(mergeInput).min(1),
    formula: z.string(),
    /** Which message property says which input a message is for. */
    inputProperty: z.string().default('topic'),
    /** The value inside each input message. */
    property: z.string().default('payload'),
    /** Compute on every input, on one chosen input, or every `interval`. */
    trigger: z.enum(['any', 'input', 'interval']).default('any'),
    triggerInput: z.string().default(''),
    interval: z.preprocess(
      (v) => (v === '' || v == null ? 1 : typeof v === 'string' ? Number(v) : v),
      z.number().positive(),
    ),
    units: timeUnitSchema.default('seconds'),
    /** The topic of the result; blank means the key. */
    outputTopic: z.string().default(''),
    /** Groups inputs (per device, say): one set of latest values per key. Default: one group. */
    key: z.string().default(''),
    keyType: propertyType('str'),
    maxKeys: whole(10_000),
  })
  .superRefine((c, issue) => {
    const names = c.inputs.map((i) => i.name);
    names.forEach((n, i) => {
      if (RESERVED.has(n))
        issue.addIssue({ code: 'custom', path: ['inputs', i, 'name'], message: `"${n}" is reserved in formulas` });
      if (names.indexOf(n) !== i)
        issue.addIssue({ code: 'custom', path: ['inputs', i, 'name'], message: `input name "${n}" is used twice` });
    });
    try {
      parseFormula(c.formula, names);
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      issue.addIssue({ code: 'custom', path: ['formula'], message: `${err.message} in "${c.formula}"` });
    }
    if (c.trigger === 'input' && !names.includes(c.triggerInput)) {
      issue.addIssue({
        code: 'custom',
        path: ['triggerInput'],
        message: `"${c.triggerInput}" is not one of the inputs (${names.join(', ')})`,
      });
    }
  });

type MergeConfig = z.infer<typeof mergeConfig>;

interface Latest {
  values: Record<string, FormulaValue>;
  /** Inputs with a new value since the last result. */
  fresh: Set<string>;
}

/** How an input's value was filled in for a result that did not receive it fresh. */
export type FillReason = 'last' | 'initial';

function createMerge(ctx: NodeContext, c: MergeConfig) {
  const tree: FormulaNode = parseFormula(
    c.formula,
    c.inputs.map((i) => i.name),
  );
  const byMatch = new Map(c.inputs.map((i) => [i.match, i]));
  const inputOf = compileMsgPath(c.inputProperty);
  const valueOf = compileMsgPath(c.property);
  // Why the last computation gave no result, shown in the status beside the key count.
  let waiting = '';
  const { keyOf, keys } = keyedSetup<Latest>(ctx, c, { status: () => waiting });
  const newLatest = (): Latest => ({ values: {}, fresh: new Set() });

  /** The result for a key, or why there is none. */
  const compute = (key: string, st: Latest): Msg | string => {
    const values: Record<string, FormulaValue> = {};
    const filled: Record<string, FillReason> = {};
    for (const input of c.inputs) {
      const v = st.values[input.name];
      if (v !== undefined) {
        values[input.name] = v;
        if (!st.fresh.has(input.name)) filled[input.name] = 'last';
      } else if (input.initial !== undefined) {
        values[input.name] = input.initial;
        filled[input.name] = 'initial';
      } else return `waiting for ${input.name}`;
    }
    const result = evaluateFormula(tree, values);
    if (typeof result === 'number' && !Number.isFinite(result)) {
      throw new Error(`merge ${ctx.id}: formula "${c.formula}" gave ${result} for key "${key}" (division by zero?)`);
    }
    st.fresh.clear();
    return { _msgid: '', topic: c.outputTopic || key, payload: result, merge: { key, values, filled } } as Msg;
  };

  const emit = (key: string, st: Latest): void => {
    const out = compute(key, st);
    if (typeof out === 'string') {
      waiting = out;
      return;
    }
    waiting = '';
    ctx.send(out);
  };

  if (c.trigger === 'interval') {
    ctx.timers.setInterval(
      () => {
        for (const [key, st] of keys.entries()) {
          try {
            emit(key, st);
          } catch (err) {
            ctx.error(err);
          }
        }
      },
      toMs(c.interval, c.units),
    );
  }
  return {
    input(msg: Msg, _send: unknown, done: Done) {
      const input = byMatch.get(keyString(inputOf(msg)));
      if (!input) return done();
      const raw = valueOf(msg);
      const value: FormulaValue | undefined = typeof raw === 'boolean' ? raw : toNumber(raw);
      const key = keyOf(msg);
      if (typeof value === 'number' && Number.isNaN(value)) {
        return done(
          new Error(
            `merge ${ctx.id}: input "${input.name}" of key "${key}" is not a number or boolean (${String(raw)})`,
          ),
        );
      }
      const st = keys.use(key, newLatest);
      st.values[input.name] = value;
      st.fresh.add(input.name);
      if (c.trigger === 'any' || (c.trigger === 'input' && input.name === c.triggerInput)) emit(key, st);
      done();
    },
  };
}

export const mergeNode = defineNode({
  type: 'merge',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 1,
  label: 'merge',
  paletteLabel: 'merge',
  icon: 'font-awesome/fa-code-fork',
  color: '#9fd3c7',
  config: mergeConfig,
  help: `Combines the latest values of several points or devices with a formula.

Each *input* has a name and the value of *input property* (default \`msg.topic\`) that identifies
it; the node keeps the latest value of each. The *formula* uses the names with numbers,
\`+ - * /\`, parentheses, \`< <= > >= == !=\`, \`&& || !\`, \`if(cond, a, b)\`, \`min\`, \`max\`,
\`abs\` and \`round(x, digits)\`; booleans count as 1/0. It is parsed at deploy: a bad formula fails
the deploy naming the position and the token.

**Trigger**: every input, one chosen input, or a fixed *interval*. An input that did not send
since the last result is filled with its last value, or its *initial* value if it never sent,
and flagged in \`msg.merge.filled\` (\`{name: 'last' | 'initial'}\`); without an initial value the
node waits for it.

**Output**: \`msg.payload\` the result, \`msg.topic\` the *output topic* (or the key),
\`msg.merge = {key, values, filled}\`. **Key**: inputs are grouped per key (e.g. \`msg.device\`),
one group when blank; at most *max keys*.`,
  create: (ctx, config) => createMerge(ctx, config),
});
