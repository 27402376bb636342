import { describe, expect, it } from 'vitest';
import { commit, createHistory, redo, undo } from './history.js';
import type { FlowDoc } from './types.js';

const d = (name: string): FlowDoc => [{ id: 'a', type: 'x', name }];

describe('history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = createHistory(d('0'));
    h = commit(h, d('1'));
    h = commit(h, d('2'));
    h = undo(h);
    expect(h.present[0]?.name).toBe('1');
    h = undo(h);
    expect(h.present[0]?.name).toBe('0');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present[0]?.name).toBe('1');
    h = commit(h, d('3'));
    expect(h.future).toHaveLength(0);
    expect(redo(h)).toBe(h);
  });

  it('merges edits with the same key made close together', () => {
    let h = createHistory(d(''));
    h = commit(h, d('a'), { coalesceKey: 'n1.name', now: 1000 });
    h = commit(h, d('ab'), { coalesceKey: 'n1.name', now: 1500 });
    h = commit(h, d('abc'), { coalesceKey: 'n1.name', now: 5000 });
    expect(h.past.map((x) => x[0]?.name)).toEqual(['', 'ab']);
  });
});
