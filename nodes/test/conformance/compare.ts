import { isDeepStrictEqual } from 'node:util';
import type { CaseRun, CompareOptions, ConformanceCase, Observation } from './case-schema.js';
import { deletePath, replacePath, typeTag } from './canonical.js';

/**
 * What a case is judged on: per collector the messages it got, per debug node what it published,
 * per node the unhandled errors (and warnings when asked), after the case's normalisation rules.
 */
export interface CaseView {
  msgs: Record<string, unknown[]>;
  /** Only with order 'global': the collectors in the order messages reached them. */
  sequence?: string[];
  debug: Record<string, unknown[]>;
  errors: Record<string, string[]>;
  warnings: Record<string, string[]>;
}

/** Always dropped: stack traces differ by construction (file names, line numbers). */
const ALWAYS_IGNORED = ['error.stack', '_error.stack'];

export function buildView(c: ConformanceCase, run: CaseRun): CaseView {
  const opts: CompareOptions = c.compare ?? {};
  const ids = idLabeller(c);
  const view: CaseView = { msgs: {}, debug: {}, errors: {}, warnings: {} };
  const add = <T>(bucket: Record<string, T[]>, key: string, v: T) => (bucket[key] ??= []).push(v);
  for (const o of run.observations) {
    switch (o.kind) {
      case 'msg':
        add(view.msgs, o.collector, normaliseMsg(o.msg, opts, ids));
        if (opts.order === 'global') (view.sequence ??= []).push(o.collector);
        break;
      case 'debug':
        add(view.debug, o.node, o.output);
        break;
      case 'error':
        if (opts.errors !== false) add(view.errors, o.node, o.message);
        break;
      case 'warn':
        if (opts.warnings === true) add(view.warnings, o.node, o.message);
        break;
    }
  }
  if (opts.order === 'unordered') {
    for (const list of Object.values(view.msgs)) list.sort(byJson);
    for (const list of Object.values(view.debug)) list.sort(byJson);
  }
  return view;
}

function normaliseMsg(msg: unknown, opts: CompareOptions, ids: (id: unknown) => unknown): unknown {
  const copy = structuredClone(msg) as Record<string, unknown>;
  if (copy === null || typeof copy !== 'object') return copy;
  // Whole messages can sit inside others (join of complete messages): their ids are handled alike.
  relabelMsgIds(copy, opts.msgid === true, ids);
  // Sequence ids (split, batch, join's parts) are random on both sides: compared by identity pattern.
  for (let parts = copy['parts']; parts && typeof parts === 'object'; parts = (parts as Record<string, unknown>)['parts']) {
    const p = parts as Record<string, unknown>;
    if (typeof p['id'] === 'string') p['id'] = ids(p['id']);
  }
  for (const path of [...ALWAYS_IGNORED, ...(opts.ignore ?? [])]) deletePath(copy, path);
  for (const path of opts.typeOnly ?? []) replacePath(copy, path, typeTag);
  return copy;
}

function relabelMsgIds(node: unknown, keep: boolean, ids: (id: unknown) => unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const v of node) relabelMsgIds(v, keep, ids);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) {
    if (k === '_msgid') {
      if (keep) record[k] = ids(v);
      else delete record[k];
    } else relabelMsgIds(v, keep, ids);
  }
}

/** Maps random ids to stable labels: ids the case gave its inputs keep theirs, new ones become id1, id2, ... */
function idLabeller(c: ConformanceCase): (id: unknown) => unknown {
  const labels = new Map<string, string>();
  for (const input of c.inputs) {
    const id = input.msg['_msgid'];
    if (typeof id === 'string') labels.set(id, id);
  }
  let next = 1;
  return (id) => {
    if (typeof id !== 'string') return id;
    let label = labels.get(id);
    if (!label) labels.set(id, (label = `id${next++}`));
    return label;
  };
}

const byJson = (a: unknown, b: unknown) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Timing differences beyond the case's tolerance, per collector, as readable lines. */
export function timingMismatches(c: ConformanceCase, nodeRed: CaseRun, gridflow: CaseRun): string[] {
  const tolerance = c.compare?.timingToleranceMs;
  if (tolerance === undefined) return [];
  const times = (run: CaseRun) => {
    const by: Record<string, number[]> = {};
    for (const o of run.observations) if (o.kind === 'msg') (by[o.collector] ??= []).push(o.t);
    return by;
  };
  const a = times(nodeRed);
  const b = times(gridflow);
  const out: string[] = [];
  for (const collector of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const ta = a[collector] ?? [];
    const tb = b[collector] ?? [];
    for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
      const x = ta[i] as number;
      const y = tb[i] as number;
      if (Math.abs(x - y) > tolerance) out.push(`${collector}[${i}]: Node-RED at ${x} ms, Gridflow at ${y} ms (tolerance ${tolerance} ms)`);
    }
  }
  return out;
}

/** Checks `expect` (partial messages per collector) against a view; returns what does not match. */
export function expectationMismatches(c: ConformanceCase, view: CaseView): string[] {
  if (!c.expect) return [];
  const out: string[] = [];
  for (const [collector, expected] of Object.entries(c.expect)) {
    const got = view.msgs[collector] ?? [];
    if (got.length !== expected.length) {
      out.push(`${collector}: expected ${expected.length} message(s), got ${got.length}: ${JSON.stringify(got)}`);
      continue;
    }
    expected.forEach((e, i) => {
      if (!partialMatch(e, got[i])) out.push(`${collector}[${i}]: expected ${JSON.stringify(e)} within ${JSON.stringify(got[i])}`);
    });
  }
  return out;
}

/** Every property of `expected` is in `actual` with an equal value; arrays must match in full. */
function partialMatch(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return isDeepStrictEqual(expected, actual);
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([k, v]) => partialMatch(v, (actual as Record<string, unknown>)[k]));
}

/** True when the run produced anything at all (messages, debug output, errors). */
export function observedAnything(run: CaseRun): boolean {
  return run.observations.some((o: Observation) => o.kind !== 'warn');
}

/** Everything wrong with one case's pair of runs, as readable lines; empty when the case passes. */
export function judge(c: ConformanceCase, nodeRed: CaseRun, gridflow: CaseRun): string[] {
  if (nodeRed.failure) return [`Node-RED could not run the case: ${nodeRed.failure}`];
  const problems: string[] = [];
  const pinnedEmpty = c.expect !== undefined && Object.values(c.expect).every((l) => l.length === 0);
  if (!observedAnything(nodeRed) && !pinnedEmpty) problems.push('Node-RED produced nothing: the case tests nothing');
  const nrView = buildView(c, nodeRed);
  if (!c.differs) problems.push(...expectationMismatches(c, nrView).map((m) => `Node-RED does not give what the case expects: ${m}`));
  if (gridflow.failure) return [...problems, `Gridflow could not run the case: ${gridflow.failure}`];
  const gfView = buildView(c, gridflow);
  if (c.differs) {
    if (isDeepStrictEqual(gfView, nrView)) problems.push(`marked as differing on purpose (${c.differs}) but the outputs agree`);
    problems.push(...expectationMismatches(c, gfView).map((m) => `Gridflow does not give what the case expects: ${m}`));
    return problems;
  }
  if (!isDeepStrictEqual(gfView, nrView)) problems.push(`outputs differ:\nNode-RED: ${JSON.stringify(nrView)}\nGridflow: ${JSON.stringify(gfView)}`);
  problems.push(...timingMismatches(c, nodeRed, gridflow));
  return problems;
}
