import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContextManager, createFileStore, createMemoryStore } from '../src/index.js';

describe('context', () => {
  it('keeps node, flow and global scopes apart, with nested keys and store prefixes', () => {
    const cm = createContextManager({ stores: { memory: createMemoryStore(), other: createMemoryStore() } });
    const a = cm.forNode('n1', 'f1');
    const b = cm.forNode('n2', 'f1');
    const c = cm.forNode('n3', 'f2');
    a.node.set('count', 1);
    a.flow.set('shared.deep[1]', 'x');
    a.global.set('#:(other)::g', 7);
    expect(b.node.get('count')).toBeUndefined();
    expect(b.flow.get('shared')).toEqual({ deep: [undefined, 'x'] });
    expect(c.flow.get('shared')).toBeUndefined();
    expect(c.global.get('g')).toBeUndefined();
    expect(c.global.get('g', 'other')).toBe(7);
    expect(c.global.get('#:(other)::g')).toBe(7);
    expect(a.node.keys()).toEqual(['count']);
    expect(() => a.node.get('x', 'nosuch')).toThrow(/unknown context store "nosuch"/);
  });

  it('offers the callback forms', async () => {
    const cm = createContextManager({ stores: { memory: createMemoryStore() } });
    const { flow } = cm.forNode('n', 'f');
    await new Promise<void>((resolve) => flow.set(['a', 'b'], [1, 2], () => resolve()));
    const values = await new Promise<unknown[]>((resolve) => flow.get(['a', 'b'], (_e, ...v: unknown[]) => resolve(v)));
    expect(values).toEqual([1, 2]);
    const keys = await new Promise<unknown>((resolve) => flow.keys((_e, k) => resolve(k)));
    expect(keys).toEqual(['a', 'b']);
  });

  it('a subflow flow scope reaches its parent with $parent.', () => {
    const cm = createContextManager({ stores: { memory: createMemoryStore() } });
    cm.forNode('x', 'tab').flow.set('level', 'tab');
    expect(cm.forNode('y', 'instance', 'tab').flow.get('$parent.level')).toBe('tab');
  });

  it('the file store persists across restarts and flushes on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gf-ctx-'));
    const store = createFileStore({ dir, flushIntervalMs: 60_000 });
    const cm = createContextManager({ stores: { file: store } });
    await cm.open();
    cm.forNode('n', 'f').node.set('total', 41);
    cm.forNode('n', 'f').global.set('site', { name: 'plant' });
    await cm.close();
    expect(JSON.parse(await readFile(join(dir, 'global.json'), 'utf8'))).toEqual({ site: { name: 'plant' } });
    const again = createContextManager({ stores: { file: createFileStore({ dir }) } });
    await again.open();
    expect(again.forNode('n', 'f').node.get('total')).toBe(41);
    expect(again.forNode('z', 'q').global.get('site.name')).toBe('plant');
    await again.close();
  });
});
