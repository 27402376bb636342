import { describe, expect, it } from 'vitest';
import type { Msg, NodeContext } from '@gridflow/runtime';
import { boolish, compileTypedValue, numberish, stringish, typedValueProblem } from './typed-value.js';

/** Just what typed values use of a node context: id, name, env and context for $flowContext. */
function fakeContext(flow: Record<string, unknown> = {}): NodeContext {
  // Node-RED's JSONata binding reads context with a callback: get(key, store, cb).
  const get = (k: string, _store?: string, cb?: (err: Error | null, v: unknown) => void) => {
    if (cb) cb(null, flow[k]);
    return flow[k];
  };
  const scope = { get, set: (k: string, v: unknown) => void (flow[k] = v), keys: () => Object.keys(flow) };
  return {
    id: 'n1',
    name: '',
    env: { get: (name: string) => (name === 'SITE' ? 'plant-1' : undefined) },
    context: () => ({ ...scope, flow: scope, global: scope }),
  } as unknown as NodeContext;
}

const msg = (extra: Record<string, unknown> = {}): Msg => ({ _msgid: 'm', payload: 4, ...extra });

describe('typed values', () => {
  it('evaluates constant and message types synchronously through evaluate, get and getAsync', async () => {
    const ctx = fakeContext();
    const num = compileTypedValue(ctx, '5', 'num');
    expect(num.async).toBe(false);
    expect(num.evaluate(msg())).toBe(5);
    expect(num.get(msg())).toBe(5);
    await expect(num.getAsync(msg())).resolves.toBe(5);
    expect(compileTypedValue(ctx, 'payload', 'msg').evaluate(msg())).toBe(4);
    expect(compileTypedValue(ctx, 'SITE', 'env').evaluate(msg())).toBe('plant-1');
    expect(compileTypedValue(ctx, '{"a":[1]}', 'json').evaluate(msg())).toEqual({ a: [1] });
  });

  it('evaluates JSONata as a Promise, with $env and $flowContext, wherever evaluate is used', async () => {
    const ctx = fakeContext({ base: 10 });
    const expr = compileTypedValue(ctx, 'payload * 2 + $flowContext("base") & "@" & $env("SITE")', 'jsonata');
    expect(expr.async).toBe(true);
    const value = expr.evaluate(msg());
    expect(value).toBeInstanceOf(Promise);
    await expect(value).resolves.toBe('18@plant-1');
    await expect(expr.getAsync(msg({ payload: 1 }))).resolves.toBe('12@plant-1');
  });

  it('names node and expression when JSONata is read synchronously, and rejects a bad expression at compile time', async () => {
    const ctx = fakeContext();
    const expr = compileTypedValue(ctx, 'payload + 1', 'jsonata');
    expect(() => expr.get(msg())).toThrow(/node n1: JSONata expression "payload \+ 1" has no synchronous value/);
    await expect(compileTypedValue(ctx, '$number("x")', 'jsonata').getAsync(msg())).rejects.toThrow(/cast/);
    expect(() => compileTypedValue(ctx, 'payload +', 'jsonata')).toThrow(/invalid JSONata expression "payload \+"/);
  });

  it('reports problems for deploy-time validation, JSONata too where a property is read synchronously', () => {
    expect(typedValueProblem('payload', 'jsonata')).toBeUndefined();
    expect(typedValueProblem('payload', 'jsonata', { sync: true })).toMatch(/cannot be used here/);
    expect(typedValueProblem('{bad', 'json')).toMatch(/invalid JSON/);
    expect(typedValueProblem('[', 're')).toMatch(/invalid regular expression/);
    expect(typedValueProblem('{"a":1}', 'bin')).toMatch(/not a JSON array or string/);
    expect(typedValueProblem('anything', 'str')).toBeUndefined();
  });
});

describe('the loose config schemas', () => {
  it('are shared per fallback and give each its own fallback', () => {
    expect(stringish('a')).toBe(stringish('a'));
    expect(stringish()).toBe(stringish(''));
    expect(numberish(1)).toBe(numberish(1));
    expect(numberish()).toBe(numberish(undefined));
    expect(boolish()).toBe(boolish(false));
    expect(stringish('a')).not.toBe(stringish('b'));
    expect([stringish('a').parse(undefined), stringish('b').parse(null), stringish().parse(3)]).toEqual(['a', 'b', '3']);
    expect([numberish(1).parse(''), numberish(2).parse('7'), numberish(0).parse(undefined)]).toEqual([1, 7, 0]);
    expect([boolish(true).parse(''), boolish().parse('true'), boolish().parse(undefined)]).toEqual([true, true, false]);
    expect(numberish().safeParse('').success).toBe(false);
  });

  it('stay unchanged when a property refines or extends one', () => {
    const refined = stringish('x').refine((s) => s !== 'bad', { message: 'no' });
    expect(refined.safeParse('bad').success).toBe(false);
    expect(stringish('x').safeParse('bad').success).toBe(true);
    expect(stringish('x').optional().parse(undefined)).toBeUndefined();
    expect(stringish('x').parse(undefined)).toBe('x');
  });
});
