import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode } from '../src/index.js';
import { settle, startHarness } from './harness.js';

const envProbe = defineNode({
  type: 'env-probe',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: z.object({ name: z.string(), value: z.unknown().optional() }),
  create: (ctx, config) => ({
    input(msg, send) {
      msg.payload = { env: ctx.env.get(config.name), value: config.value };
      send(msg);
    },
  }),
});

describe('subflows', () => {
  const subflowDoc = (instanceEnv: unknown[] = []) => [
    { id: 't1', type: 'tab', label: 'Main', env: [{ name: 'WHERE', type: 'str', value: 'tab' }] },
    {
      id: 'sf',
      type: 'subflow',
      name: 'Doubler',
      in: [{ wires: [{ id: 'inner' }] }],
      out: [{ wires: [{ id: 'inner', port: 0 }] }],
      env: [{ name: 'WHERE', type: 'str', value: 'subflow-default' }, { name: 'N', type: 'num', value: '3' }],
    },
    { id: 'inner', type: 'env-probe', z: 'sf', name: 'WHERE', wires: [[]] },
    { id: 'i1', type: 'subflow:sf', z: 't1', env: instanceEnv, wires: [['p']] },
    { id: 'i2', type: 'subflow:sf', z: 't1', env: [], wires: [['p']] },
    { id: 'p', type: 'probe', z: 't1', wires: [] },
  ];

  it('expands each instance with its own env, instance values over definition defaults', async () => {
    const { runtime, at } = startHarness([envProbe]);
    await runtime.deploy(subflowDoc([{ name: 'WHERE', type: 'str', value: 'instance-1' }]));
    runtime.receive('i1', { payload: 1 });
    await settle();
    runtime.receive('i2', { payload: 2 });
    await settle();
    const envs = at('p').map((m) => (m.payload as { env: unknown }).env);
    expect(envs).toEqual(['instance-1', 'subflow-default']);
    await runtime.close();
  });

  it('substitutes ${ENV} properties through the lookup chain', async () => {
    const { runtime, at } = startHarness([envProbe]);
    await runtime.deploy([
      { id: 't1', type: 'tab', label: 'Main', env: [{ name: 'LIMIT', type: 'num', value: '42' }] },
      { id: 'g1', type: 'group', z: 't1', env: [{ name: 'COLOR', type: 'str', value: 'red' }], nodes: ['e'] },
      { id: 'e', type: 'env-probe', z: 't1', g: 'g1', name: 'COLOR', value: '${LIMIT}', wires: [['p']] },
      { id: 'p', type: 'probe', z: 't1', wires: [] },
    ]);
    runtime.receive('e', {});
    await settle();
    expect(at('p')[0]?.payload).toEqual({ env: 'red', value: 42 });
    await runtime.close();
  });

  it('passes errors not caught inside a subflow to the parent flow, reported by the instance', async () => {
    const { runtime, at } = startHarness();
    await runtime.deploy([
      { id: 't1', type: 'tab' },
      { id: 'sf', type: 'subflow', name: 'S', in: [{ wires: [{ id: 'boom' }] }], out: [] },
      { id: 'boom', type: 'fail', z: 'sf', mode: 'throw', wires: [[]] },
      { id: 'inst', type: 'subflow:sf', z: 't1', wires: [] },
      { id: 'c', type: 'catch', z: 't1', scope: ['inst'], wires: [['p']] },
      { id: 'p', type: 'probe', z: 't1', wires: [] },
    ]);
    runtime.receive('inst', { payload: 'x' });
    await settle();
    const err = at('p')[0]?.['error'] as { source: { id: string } };
    expect(err.source.id).toBe('inst-boom');
    await runtime.close();
  });
});

describe('disabled nodes and tabs', () => {
  it('does not start disabled nodes or the nodes of a disabled tab', async () => {
    const { runtime } = startHarness();
    const result = await runtime.deploy([
      { id: 't1', type: 'tab' },
      { id: 't2', type: 'tab', disabled: true },
      { id: 'a', type: 'pass', z: 't1', wires: [['b']] },
      { id: 'b', type: 'pass', z: 't1', d: true, wires: [] },
      { id: 'c', type: 'pass', z: 't2', wires: [] },
    ]);
    expect(result.started).toEqual(['a']);
    await runtime.close();
  });
});

describe('edge-targeted tabs', () => {
  it('run only on the host they target', async () => {
    const doc = [
      { id: 'c', type: 'tab' },
      { id: 'e', type: 'tab', target: 'edge', edges: ['x'] },
      { id: 'a', type: 'pass', z: 'c', wires: [] },
      { id: 'b', type: 'pass', z: 'e', wires: [] },
    ];
    const cloud = startHarness();
    expect((await cloud.runtime.deploy(doc)).started).toEqual(['a']);
    await cloud.runtime.close();
  });
});
