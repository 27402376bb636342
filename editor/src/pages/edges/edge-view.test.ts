import { describe, expect, it } from 'vitest';
import type { EdgeInfo, FlowNode } from '@gridflow/runtime/contract';
import {
  backlogText,
  backlogWarning,
  deployState,
  edgeGroups,
  readTarget,
  sameTarget,
  tabReaches,
  withTarget,
} from './edge-view.js';

const edge = (over: Partial<EdgeInfo> = {}): EdgeInfo => ({
  id: 'e1',
  name: 'press-1',
  group: 'plant-a',
  online: true,
  revoked: false,
  enrolledAt: '2026-01-01T00:00:00Z',
  lastSeen: null,
  health: null,
  runningRev: null,
  targetRev: null,
  deployError: null,
  ...over,
});
const health = (backlog: { size: number; oldestAgeSec: number | null; dropped: number; limit: number }) => ({
  version: '0.1.0',
  uptimeSec: 5,
  cpuPercent: 1,
  rssBytes: 1,
  runningRev: null,
  nodes: 1,
  errors: 0,
  statuses: [],
  backlog,
});

describe('edge view', () => {
  it('tells running, deploying and failed revisions apart', () => {
    expect(deployState(edge())).toEqual({ kind: 'none' });
    expect(deployState(edge({ runningRev: 'a', targetRev: 'a' }))).toEqual({ kind: 'running', rev: 'a' });
    expect(deployState(edge({ runningRev: 'a', targetRev: 'b' }))).toEqual({
      kind: 'deploying',
      rev: 'b',
      running: 'a',
    });
    const failed = deployState(
      edge({
        runningRev: 'a',
        targetRev: 'b',
        deployError: { rev: 'b', ok: false, error: 'invalid', problems: [{ nodeId: 'n1', type: 'x', message: 'bad' }] },
      }),
    );
    expect(failed).toMatchObject({ kind: 'failed', rev: 'b', running: 'a', problems: [{ nodeId: 'n1' }] });
    // An error about an older revision no longer applies once a newer one was sent.
    expect(deployState(edge({ runningRev: 'a', targetRev: 'c', deployError: { rev: 'b', ok: false } })).kind).toBe(
      'deploying',
    );
  });

  it('describes the backlog and warns when the oldest were dropped', () => {
    expect(backlogText(edge())).toBe('—');
    expect(backlogText(edge({ health: health({ size: 0, oldestAgeSec: null, dropped: 0, limit: 100 }) }))).toBe(
      'empty',
    );
    expect(backlogText(edge({ health: health({ size: 1204, oldestAgeSec: 190, dropped: 0, limit: 100_000 }) }))).toBe(
      '1,204 msgs, oldest 3 min',
    );
    expect(
      backlogWarning(edge({ health: health({ size: 10, oldestAgeSec: 1, dropped: 0, limit: 100 }) })),
    ).toBeUndefined();
    expect(backlogWarning(edge({ health: health({ size: 100, oldestAgeSec: 1, dropped: 7, limit: 100 }) }))).toBe(
      'queue 100% full; 7 oldest dropped (limit 100)',
    );
  });

  it('reads and writes a tab target', () => {
    const doc: FlowNode[] = [
      { id: 't1', type: 'tab', label: 'A' },
      { id: 'n1', type: 'inject', z: 't1' },
    ];
    expect(readTarget(doc[0] as FlowNode)).toEqual({ target: 'cloud', edges: [], edgeGroups: [] });
    const next = withTarget(doc, 't1', { target: 'edge', edges: ['e1'], edgeGroups: ['plant-a'] });
    expect(next[0]).toEqual({
      id: 't1',
      type: 'tab',
      label: 'A',
      target: 'edge',
      edges: ['e1'],
      edgeGroups: ['plant-a'],
    });
    expect(next[1]).toBe(doc[1]);
    expect(withTarget(next, 't1', { target: 'cloud', edges: ['e1'], edgeGroups: [] })[0]).toEqual({
      id: 't1',
      type: 'tab',
      label: 'A',
    });
    const t = readTarget(next[0] as FlowNode);
    expect(tabReaches(t, edge({ id: 'e2', group: 'plant-a' }))).toBe(true);
    expect(tabReaches(t, edge({ id: 'e3', group: null }))).toBe(false);
    expect(sameTarget(t, { target: 'edge', edges: ['e1'], edgeGroups: ['plant-a'] })).toBe(true);
    expect(sameTarget(t, { target: 'edge', edges: [], edgeGroups: ['plant-a'] })).toBe(false);
  });

  it('lists the groups in use', () => {
    expect(
      edgeGroups([edge({ group: 'b' }), edge({ group: 'a' }), edge({ group: null }), edge({ group: 'a' })]),
    ).toEqual(['a', 'b']);
  });
});
