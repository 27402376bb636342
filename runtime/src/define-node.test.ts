import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from './define-node.js';

const base = { category: 'core', inputs: 1, outputs: 1, create: () => ({}) } as const;

describe('defineNode', () => {
  it('hands back a definition with a built schema as it is', () => {
    const schema = z.object({ a: z.number() });
    const def = { ...base, type: 'plain', config: schema };
    const defined = defineNode(def);
    expect(defined).toBe(def);
    expect(defined.config).toBe(schema);
  });

  it('builds a schema given as a function on the first read of config, once', () => {
    let built = 0;
    const def = defineNode({
      ...base,
      type: 'lazy',
      config: () => {
        built++;
        return z.object({ a: z.coerce.number().default(2) });
      },
    });
    expect(built).toBe(0);
    expect(def.type).toBe('lazy');
    expect(def.config.parse({ a: '5' })).toEqual({ a: 5 });
    expect(def.config).toBe(def.config);
    expect({ ...def }.config.parse({})).toEqual({ a: 2 });
    expect(built).toBe(1);
  });
});
