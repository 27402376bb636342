import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, type AnyNodeDefinition } from '@gridflow/runtime';
import { runFlow } from '../../test/flow-harness.js';
import { createStateFeed } from './reconnect.js';
import { configNodeOf, useConnection, type SharedConnection } from './shared-connection.js';

/** A config node whose connection state the test sets, counting its users. */
function fakeConnection() {
  const state = createStateFeed();
  const counts = { users: 0 };
  const node = defineNode({
    type: 'fake-conn',
    category: 'config',
    isConfig: true,
    inputs: 0,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: () => ({
      api: {
        state,
        use() {
          counts.users++;
          return () => void counts.users--;
        },
      } satisfies SharedConnection,
    }),
  });
  return { state, counts, node };
}

/** A node using the fake connection; with `quiet` it does not show the connected state. */
const userNode = defineNode({
  type: 'conn-user',
  category: 'device',
  inputs: 1,
  outputs: 0,
  config: z.object({ conn: z.string(), quiet: z.boolean().default(false) }),
  create(ctx, c) {
    const conn = configNodeOf<SharedConnection>(ctx, c.conn, { type: 'fake-conn', label: 'fake server' });
    return { close: useConnection(ctx, conn, (s) => !c.quiet || s.state !== 'connected') };
  },
});

describe('shared connection of a config node', () => {
  it('shows each connection state as the status of its users and releases on close', async () => {
    const fake = fakeConnection();
    const h = await runFlow(
      [
        { id: 'fc', type: 'fake-conn' },
        { id: 'u1', type: 'conn-user', conn: 'fc' },
        { id: 'u2', type: 'conn-user', conn: 'fc', quiet: true },
      ],
      { nodes: [fake.node, userNode] as AnyNodeDefinition[] },
    );
    expect(fake.counts.users).toBe(2);
    fake.state.set({ state: 'connecting' });
    fake.state.set({ state: 'connected' });
    fake.state.set({ state: 'disconnected', error: 'refused', retryInMs: 2000 });
    await h.settle();
    const shown = [
      { fill: 'yellow', shape: 'ring', text: 'connecting' },
      { fill: 'green', shape: 'dot', text: 'connected' },
      { fill: 'red', shape: 'ring', text: 'disconnected: refused; retry in 2 s' },
    ];
    expect(h.statuses('u1')).toEqual([{}, ...shown]);
    expect(h.statuses('u2')).toEqual([{}, shown[0], shown[2]]);
    await h.close();
    expect(fake.counts.users).toBe(0);
    fake.state.set({ state: 'connecting' });
    expect(h.statuses('u1')).toHaveLength(4);
  });

  it('fails the start of a node whose config node is missing, naming both', async () => {
    const h = await runFlow([{ id: 'u', type: 'conn-user', conn: 'nope' }], { nodes: [userNode] as AnyNodeDefinition[] });
    try {
      expect(h.statuses('u')).toEqual([{ fill: 'red', shape: 'ring', text: 'missing fake server configuration' }]);
      const errors = h.logs.filter((l) => l.level === 'error').map((l) => `${l.id ?? ''}: ${l.message}`);
      expect(errors).toEqual([expect.stringMatching(/^u: failed to start: conn-user u: fake-conn nope is missing/)]);
    } finally {
      await h.close();
    }
  });
});
