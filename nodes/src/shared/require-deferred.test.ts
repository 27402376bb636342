import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { requireDeferring } from './require-deferred.js';

const loaded = (name: string) =>
  Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes(`/node_modules/${name}/`));

interface Util {
  setMessageProperty(msg: object, prop: string, value: unknown): boolean;
  evaluateNodeProperty(value: string, type: string, node: null, msg: object): unknown;
  prepareJSONataExpression(expr: string, node: null): { evaluate(input: unknown): unknown };
}

describe('requireDeferring', () => {
  it('loads the deferred modules of @node-red/util on first use only, and they work through it', async () => {
    expect(loaded('moment-timezone')).toBe(false);
    const util = requireDeferring('@node-red/util/lib/util', /@node-red[\\/]util[\\/]lib[\\/]util\.js$/, [
      'moment-timezone',
      './jsonata',
    ]) as Util;

    const msg = {};
    util.setMessageProperty(msg, 'a.b', 1);
    expect(msg).toEqual({ a: { b: 1 } });
    expect(loaded('moment-timezone')).toBe(false);

    // A date typed value with a format calls moment(): the call goes through to the real module.
    expect(util.evaluateNodeProperty('YYYY', 'date', null, {})).toBe(String(new Date().getFullYear()));
    expect(loaded('moment-timezone')).toBe(true);
    const expr = util.prepareJSONataExpression('payload * 2', null);
    expect(await expr.evaluate({ payload: 21 })).toBe(42);
  });
});
