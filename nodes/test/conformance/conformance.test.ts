import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceCaseSchema, type CaseRun, type ConformanceCase } from './case-schema.js';
import { allCases, caseGroups, CORE_TYPES } from './cases/index.js';
import { buildView, judge, timingMismatches } from './compare.js';
import { gridflowCoreTypes, runGridflowCases } from './gridflow-runner.js';
import { startNodeRed } from './node-red-runner.js';

/**
 * Runs every case through Node-RED (node-red-node-test-helper, the real core nodes) and through
 * Gridflow (createRuntime with coreNodes), then compares what reached the collectors.
 * Set CONFORMANCE_REPORT=<file> to also write both sides' views and the mismatches as JSON, and
 * CONFORMANCE_FILTER=<text> to run only the cases whose name contains that text.
 */

const filter = process.env['CONFORMANCE_FILTER'];
const selected = filter ? allCases.filter((c) => c.name.includes(filter)) : allCases;

let nodeRedRuns: CaseRun[] = [];
let gridflowRuns: CaseRun[] = [];
const retried = new Set<number>();
const outcomes: { name: string; group: string; retried: boolean; problems: string[]; nodeRed?: unknown; gridflow?: unknown }[] = [];

beforeAll(async () => {
  const nodeRed = await startNodeRed();
  try {
    // One runtime after the other, so that neither's timers run late for the other's load.
    nodeRedRuns = await nodeRed.run(selected);
    gridflowRuns = await runGridflowCases(selected);
    // A machine shared with other work can stall either runtime for tens of milliseconds; a case
    // that fails is run once more on both sides, and the second result counts. A real
    // difference fails twice.
    const failing = selected.map((c, i) => i).filter((i) => judge(selected[i] as ConformanceCase, nodeRedRuns[i] as CaseRun, gridflowRuns[i] as CaseRun).length);
    if (failing.length) {
      const again = failing.map((i) => selected[i] as ConformanceCase);
      const nr = await nodeRed.run(again);
      const gf = await runGridflowCases(again);
      failing.forEach((i, k) => {
        nodeRedRuns[i] = nr[k] as CaseRun;
        gridflowRuns[i] = gf[k] as CaseRun;
        retried.add(i);
      });
    }
  } finally {
    await nodeRed.close();
  }
}, 50_000);

afterAll(() => {
  const file = process.env['CONFORMANCE_REPORT'];
  if (file) writeFileSync(file, JSON.stringify({ missingTypes: missingTypes(), outcomes }, null, 2));
});

function missingTypes(): string[] {
  const known = new Set(gridflowCoreTypes());
  return CORE_TYPES.filter((t) => !known.has(t));
}

describe('conformance corpus', () => {
  it('has at least 150 valid cases with unique names', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(150);
    for (const c of allCases) expect(() => conformanceCaseSchema.parse(c), c.name).not.toThrow();
    const names = allCases.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('covers every core node type', () => {
    const used = new Set(allCases.flatMap((c) => c.flow.map((n) => n.type)));
    expect(CORE_TYPES.filter((t) => !used.has(t))).toEqual([]);
  });

  it('names link in nodes uniquely across cases that share a deployment', () => {
    const names = allCases
      .filter((c) => !c.isolated)
      .flatMap((c) => c.flow.filter((n) => n.type === 'link in' && typeof n['name'] === 'string' && n['name']).map((n) => String(n['name'])));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('runs on a Gridflow registry that has every core node type', () => {
    expect(missingTypes(), 'core node types Gridflow does not define yet').toEqual([]);
  });
});

for (const group of caseGroups) {
  const chosen = group.cases.filter((x) => selected.includes(x));
  // With CONFORMANCE_FILTER, groups without a selected case are left out (vitest fails empty suites).
  if (chosen.length === 0) continue;
  describe(group.name, () => {
    for (const c of chosen) {
      const index = selected.indexOf(c);
      it(c.name, () => {
        const nr = nodeRedRuns[index] as CaseRun;
        const gf = gridflowRuns[index] as CaseRun;
        const problems = judge(c, nr, gf);
        outcomes.push({
          name: c.name,
          group: group.name,
          retried: retried.has(index),
          problems,
          nodeRed: nr.failure ?? buildView(c, nr),
          gridflow: gf.failure ?? buildView(c, gf),
        });
        // The assertions below repeat what judge() found, so that vitest shows a readable diff.
        expect(nr.failure, 'Node-RED could not run the case').toBeUndefined();
        expect(problems.filter((p) => p.startsWith('Node-RED')), 'Node-RED side of the case').toEqual([]);
        expect(gf.failure, 'Gridflow could not run the case').toBeUndefined();
        const nrView = buildView(c, nr);
        const gfView = buildView(c, gf);
        if (c.differs) {
          expect(problems, `differs on purpose: ${c.differs}`).toEqual([]);
          return;
        }
        expect(gfView, 'Gridflow (received) against Node-RED (expected)').toEqual(nrView);
        expect(timingMismatches(c, nr, gf), 'timing').toEqual([]);
        expect(problems).toEqual([]);
      });
    }
  });
}
