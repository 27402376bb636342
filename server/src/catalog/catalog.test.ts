import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode } from '@gridflow/runtime';
import { catalogEntry, configJsonSchema, defaultsOf } from './catalog.js';

describe('catalog', () => {
  it('gives the input JSON Schema: fields with defaults are optional', () => {
    const schema = configJsonSchema(z.object({ a: z.number().default(3), b: z.string() }));
    expect(schema).toMatchObject({ type: 'object', required: ['b'], properties: { a: { type: 'number', default: 3 } } });
    expect(defaultsOf(schema)).toEqual({ a: 3 });
  });

  it('does not throw for schemas JSON Schema cannot express', () => {
    expect(configJsonSchema(z.object({ t: z.string().transform((s) => s.length) }))).toMatchObject({ type: 'object' });
    expect(configJsonSchema(z.object({ d: z.date(), f: z.custom<() => void>(() => true) }))).toMatchObject({ type: 'object' });
    expect(configJsonSchema(z.bigint())).toBeTypeOf('object');
  });

  it('collects defaults from allOf parts (intersections)', () => {
    const schema = configJsonSchema(z.object({ a: z.number().default(1) }).and(z.object({ b: z.boolean().default(true) })));
    expect(defaultsOf(schema)).toEqual({ a: 1, b: true });
  });

  it('reports derived outputs as null and fills descriptor fields', () => {
    const def = defineNode({
      type: 'sw',
      category: 'core',
      inputs: 1,
      outputs: () => 2,
      config: z.object({}),
      icon: 'switch.svg',
      outputLabels: ['a', 'b'],
      version: 2,
      create: () => ({}),
    });
    expect(catalogEntry(def)).toMatchObject({ type: 'sw', outputs: null, icon: 'switch.svg', outputLabels: ['a', 'b'], version: 2, isConfig: false });
  });
});

describe('field defaults', () => {
  it('asks the schema what a left-out field becomes, where JSON Schema cannot say', () => {
    const blankIs = (fallback: number) => z.preprocess((v) => (v === undefined || v === '' ? fallback : Number(v)), z.number());
    const def = defineNode({
      type: 'fn-like',
      category: 'core',
      inputs: 1,
      outputs: 1,
      config: z.object({ outputs: blankIs(1), timeout: blankIs(0), name: z.string().default(''), required: z.string() }),
      create: () => ({}),
    });
    expect(catalogEntry(def).defaults).toEqual({ outputs: 1, timeout: 0, name: '' });
  });
});
