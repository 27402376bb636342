import { describe, expect, it } from 'vitest';
import { createKeyedState } from './keyed-state.js';

describe('keyed state', () => {
  it('evicts the least recently used key and counts it', () => {
    const evicted: string[] = [];
    const keys = createKeyedState<{ n: number }>({ maxKeys: 3, onEvict: (k) => evicted.push(k) });
    const init = () => ({ n: 0 });
    for (const k of ['a', 'b', 'c']) keys.use(k, init).n++;
    keys.use('a', init).n++; // a is now the most recent
    keys.use('d', init);
    expect(evicted).toEqual(['b']);
    expect(keys.size).toBe(3);
    expect(keys.evicted).toBe(1);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['c', 'a', 'd']);
    expect(keys.peek('a')).toEqual({ n: 2 });
    expect(keys.peek('b')).toBeUndefined();
  });

  it('stays bounded under a key explosion', () => {
    const keys = createKeyedState<number>({ maxKeys: 1000 });
    for (let i = 0; i < 100_000; i++) keys.use(`k${i}`, () => i);
    expect(keys.size).toBe(1000);
    expect(keys.evicted).toBe(99_000);
    expect(keys.peek('k99999')).toBe(99_999);
  });

  it('deletes, including while iterating', () => {
    const keys = createKeyedState<number>({ maxKeys: 10 });
    for (const k of ['a', 'b', 'c']) keys.use(k, () => 1);
    for (const [k] of keys.entries()) if (k !== 'c') keys.delete(k);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['c']);
    keys.use('e', () => 2);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['c', 'e']);
  });
});
