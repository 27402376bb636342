import type { EdgeInfo, FlowNode } from '@gridflow/runtime/contract';

/** Where an edge stands with its deployment, for the list's "revision" column. */
export type DeployState =
  | { kind: 'none' }
  | { kind: 'running'; rev: string }
  | { kind: 'deploying'; rev: string; running: string | null }
  | {
      kind: 'failed';
      rev: string;
      running: string | null;
      error: string;
      problems: { nodeId: string; type: string; property?: string | undefined; message: string }[];
    };

export function deployState(edge: EdgeInfo): DeployState {
  const { runningRev, targetRev, deployError } = edge;
  if (deployError && !deployError.ok && deployError.rev === targetRev) {
    return {
      kind: 'failed',
      rev: deployError.rev,
      running: runningRev,
      error: deployError.error ?? 'refused',
      problems: deployError.problems ?? [],
    };
  }
  if (targetRev && targetRev !== runningRev) return { kind: 'deploying', rev: targetRev, running: runningRev };
  if (runningRev) return { kind: 'running', rev: runningRev };
  return { kind: 'none' };
}

/** "1,204 msgs, oldest 3 min" — the edge's outgoing backlog as its last heartbeat told. */
export function backlogText(edge: EdgeInfo): string {
  const b = edge.health?.backlog;
  if (!b) return '—';
  if (b.size === 0) return 'empty';
  const age = b.oldestAgeSec === null ? '' : `, oldest ${ageText(b.oldestAgeSec)}`;
  return `${b.size.toLocaleString('en-US')} msgs${age}`;
}

/** The queue's stated policy made visible: how full it is and how many of the oldest it dropped. */
export function backlogWarning(edge: EdgeInfo): string | undefined {
  const b = edge.health?.backlog;
  if (!b) return undefined;
  const parts: string[] = [];
  if (b.size >= b.limit * 0.8) parts.push(`queue ${Math.round((b.size / b.limit) * 100)}% full`);
  if (b.dropped > 0)
    parts.push(`${b.dropped.toLocaleString('en-US')} oldest dropped (limit ${b.limit.toLocaleString('en-US')})`);
  return parts.length ? parts.join('; ') : undefined;
}

export function ageText(sec: number): string {
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min`;
  if (sec < 86_400) return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
  return `${Math.floor(sec / 86_400)} d ${Math.floor((sec % 86_400) / 3600)} h`;
}

/** The distinct edge groups in use, sorted. */
export function edgeGroups(edges: readonly EdgeInfo[]): string[] {
  return [...new Set(edges.map((e) => e.group).filter((g): g is string => !!g))].sort();
}

/** A flow tab's deployment target, as the tab node carries it (see the contract's tabTargetSchema). */
export interface TabTarget {
  target: 'cloud' | 'edge';
  edges: string[];
  edgeGroups: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readTarget(tab: FlowNode): TabTarget {
  return {
    target: tab['target'] === 'edge' ? 'edge' : 'cloud',
    edges: strings(tab['edges']),
    edgeGroups: strings(tab['edgeGroups']),
  };
}

/** The document with one tab's target replaced; a cloud tab keeps no edge lists. */
export function withTarget(doc: readonly FlowNode[], tabId: string, target: TabTarget): FlowNode[] {
  return doc.map((n) => {
    if (n.id !== tabId || n.type !== 'tab') return n;
    const { target: _t, edges: _e, edgeGroups: _g, ...rest } = n;
    return target.target === 'cloud'
      ? { ...rest }
      : { ...rest, target: 'edge', edges: [...target.edges], edgeGroups: [...target.edgeGroups] };
  });
}

/** Which edges a tab reaches: listed by id or name, or through their group. */
export function tabReaches(target: TabTarget, edge: EdgeInfo): boolean {
  if (target.target !== 'edge') return false;
  return (
    target.edges.includes(edge.id) ||
    target.edges.includes(edge.name) ||
    (edge.group !== null && target.edgeGroups.includes(edge.group))
  );
}

export function sameTarget(a: TabTarget, b: TabTarget): boolean {
  const eq = (x: string[], y: string[]) =>
    x.length === y.length && [...x].sort().every((v, i) => v === [...y].sort()[i]);
  return a.target === b.target && (a.target === 'cloud' || (eq(a.edges, b.edges) && eq(a.edgeGroups, b.edgeGroups)));
}
