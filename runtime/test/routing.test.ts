import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode } from '../src/index.js';
import { settle, startHarness } from './harness.js';

const statusSetter = defineNode({
  type: 'status-setter',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: z.object({}).passthrough(),
  create: (ctx) => ({
    input(msg, send, done) {
      ctx.status({ fill: 'green', shape: 'dot', text: String(msg.payload) });
      send(msg);
      done();
    },
  }),
});

describe('catch scoping', () => {
  it('prefers catch nodes in the nearest group and leaves uncaught-only catchers out when handled', async () => {
    const h = startHarness();
    await h.runtime.deploy([
      { id: 't', type: 'tab' },
      { id: 'g', type: 'group', z: 't', nodes: ['f', 'cg'] },
      { id: 'f', type: 'fail', z: 't', g: 'g', wires: [[]] },
      { id: 'cg', type: 'catch', z: 't', g: 'g', scope: 'group', wires: [['pg']] },
      { id: 'cu', type: 'catch', z: 't', uncaught: true, wires: [['pu']] },
      { id: 'f2', type: 'fail', z: 't', wires: [[]] },
      { id: 'pg', type: 'probe', z: 't', wires: [] },
      { id: 'pu', type: 'probe', z: 't', wires: [] },
    ]);
    h.runtime.receive('f', { payload: 1 });
    h.runtime.receive('f2', { payload: 2 });
    await settle();
    expect(h.at('pg').map((m) => m.payload)).toEqual([1]);
    expect(h.at('pu').map((m) => m.payload)).toEqual([2]);
    await h.runtime.close();
  });

  it('stops an error loop after ten catches', async () => {
    const h = startHarness();
    await h.runtime.deploy([
      { id: 't', type: 'tab' },
      { id: 'f', type: 'fail', z: 't', wires: [[]] },
      { id: 'c', type: 'catch', z: 't', wires: [['f']] },
    ]);
    let errors = 0;
    h.runtime.events.on('error', () => errors++);
    h.runtime.receive('f', { payload: 1 });
    await settle(50);
    expect(errors).toBe(10);
    await h.runtime.close();
  });
});

describe('status and complete', () => {
  it('routes status to scoped status nodes and done() to complete nodes', async () => {
    const h = startHarness([statusSetter]);
    await h.runtime.deploy([
      { id: 't', type: 'tab' },
      { id: 's', type: 'status-setter', z: 't', wires: [[]] },
      { id: 'st', type: 'status', z: 't', scope: ['s'], wires: [['ps']] },
      { id: 'co', type: 'complete', z: 't', scope: ['s'], wires: [['pc']] },
      { id: 'ps', type: 'probe', z: 't', wires: [] },
      { id: 'pc', type: 'probe', z: 't', wires: [] },
    ]);
    h.runtime.receive('s', { payload: 'hello' });
    await settle();
    expect(h.at('ps')[0]?.['status']).toEqual({ fill: 'green', shape: 'dot', text: 'hello', source: { id: 's', type: 'status-setter' } });
    expect(h.at('pc')[0]?.payload).toBe('hello');
    expect(h.at('pc')[0]?.['complete']).toEqual({ source: { id: 's', type: 'status-setter' } });
    await h.runtime.close();
  });
});
