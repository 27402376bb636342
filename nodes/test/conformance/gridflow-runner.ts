import { z } from 'zod';
import {
  cloneMessage,
  createRegistry,
  createRuntime,
  defineNode,
  errorMessage,
  type AnyNodeDefinition,
  type Msg,
} from '@gridflow/runtime';
import { coreNodes } from '@gridflow/nodes/core';
import { nrUtil } from '../../src/shared/node-red-util.js';
import type { CaseRun, ConformanceCase, Observation } from './case-schema.js';
import { canonical } from './canonical.js';
import { BATCH_SIZE, STARTUP_MS, chunk, placeCase, settle, sleep, type PlacedCase } from './placement.js';

/**
 * Runs cases through Gridflow: the same prefixed flow JSON the Node-RED runner deploys goes into
 * createRuntime({ registry: createRegistry(coreNodes) }), with a `helper` collector type defined here.
 * Each case gets its own runtime, so all cases run at once.
 */

/** A `helper` node: records every message it receives, like the test helper's node in Node-RED. */
function collectorType(onMessage: (nodeId: string, msg: Msg) => void): AnyNodeDefinition {
  return defineNode({
    type: 'helper',
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: (ctx) => ({ input: (msg: Msg) => onMessage(ctx.id, msg) }),
  }) as AnyNodeDefinition;
}

/** The node types Gridflow's core registry knows. */
export function gridflowCoreTypes(): string[] {
  return createRegistry(coreNodes).types();
}

export async function runGridflowCase(c: ConformanceCase, index: number): Promise<CaseRun> {
  const p: PlacedCase = placeCase(c, index);
  const observations: Observation[] = [];
  let start = Date.now();
  let ended = false;
  const push = (make: (t: number) => Observation) => {
    if (!ended) observations.push(make(Date.now() - start));
  };
  const runtime = createRuntime({
    registry: createRegistry([...coreNodes, collectorType((id, msg) => push((t) => ({ kind: 'msg', collector: p.unprefix(id), t, msg: canonical(msg, p) })))]),
  });
  runtime.events.on('debug', (d) => {
    const { id, z: _z, path: _path, ...raw } = d as unknown as Record<string, unknown>;
    // The sidebar gets Node-RED's encoding (msg as text plus a format); a raw value is encoded here the same way.
    const encoded = 'format' in raw ? raw : nrUtil.encodeObject({ ...raw, msg: raw['msg'] }, { maxLength: 1000 });
    // Gridflow's event contract marks the whole message or an expression result as property
    // 'msg'; Node-RED's sidebar message has no property then.
    const { property, ...rest } = encoded as Record<string, unknown>;
    const output = property === 'msg' ? rest : encoded;
    push((t) => ({ kind: 'debug', node: p.unprefix(String(id)), t, output: canonical(output, p) }));
  });
  // Node-RED logs an error only when no catch node took it.
  runtime.events.on('error', (e) => {
    if (!e.handled) push((t) => ({ kind: 'error', node: p.unprefix(e.id), t, message: p.unprefix(e.message) }));
  });
  runtime.events.on('log', (l) => {
    if (l.level === 'warn' && l.id) push((t) => ({ kind: 'warn', node: p.unprefix(l.id ?? ''), t, message: p.unprefix(l.message) }));
  });
  try {
    const result = await runtime.deploy(p.flow);
    if (result.failed.length) {
      return { observations, failure: `nodes failed to start: ${result.failed.map((f) => `${p.unprefix(f.id)} (${f.type}): ${f.message}`).join('; ')}` };
    }
    await sleep(STARTUP_MS);
    start = Date.now();
    for (const input of p.inputs) {
      if (input.delayMs) await sleep(input.delayMs);
      if (!runtime.receive(p.prefix + input.to, cloneMessage(input.msg) as Partial<Msg>)) {
        return { observations, failure: `input node ${input.to} is not running in Gridflow` };
      }
    }
    await settle(p.waitMs, () => observations.length);
    ended = true;
    return { observations };
  } catch (err) {
    return { observations, failure: `Gridflow could not run the case: ${p.unprefix(errorMessage(err))}` };
  } finally {
    ended = true;
    await runtime.close();
  }
}

/** Runs cases in batches of BATCH_SIZE at a time; results in the order of `cases`. */
export async function runGridflowCases(cases: readonly ConformanceCase[]): Promise<CaseRun[]> {
  const results: CaseRun[] = [];
  for (const batch of chunk(cases.map((c, i) => [c, i] as const), BATCH_SIZE)) {
    results.push(...(await Promise.all(batch.map(([c, i]) => runGridflowCase(c, i)))));
  }
  return results;
}
