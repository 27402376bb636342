import { describe, expect, it } from 'vitest';
import type { ServerHost } from '../server.js';
import { createEditorRelay } from './edge-relay.js';

const capture = () => {
  const emitted: { event: string; data: unknown }[] = [];
  // Only `emit` of the editor socket.io server is used by the relay.
  const host = { io: { emit: (event: string, data: unknown) => emitted.push({ event, data }) } } as unknown as Pick<
    ServerHost,
    'io'
  >;
  return { emitted, relay: createEditorRelay(host) };
};

describe('edge relay to the editor', () => {
  it('shows a refused deployment as a red status under each failing node, cleared by the next good one', () => {
    const { emitted, relay } = capture();
    relay({
      edgeId: 'e1',
      edgeName: 'press-1',
      kind: 'deploy',
      data: {
        rev: 'r2',
        ok: false,
        error: 'x',
        problems: [{ nodeId: 'n1', type: 'inject', property: 'repeat', message: 'not a number' }],
      },
    });
    expect(emitted.filter((e) => e.event === 'status').map((e) => e.data)).toEqual([
      { id: 'n1', z: '', status: { fill: 'red', shape: 'ring', text: 'press-1: repeat: not a number' } },
    ]);
    expect(emitted.some((e) => e.event === 'edge')).toBe(true);
    emitted.length = 0;
    relay({ edgeId: 'e1', edgeName: 'press-1', kind: 'deploy', data: { rev: 'r3', ok: true } });
    expect(emitted.filter((e) => e.event === 'status').map((e) => e.data)).toEqual([{ id: 'n1', z: '', status: {} }]);
  });

  it('tags edge status and debug output with the edge', () => {
    const { emitted, relay } = capture();
    relay({
      edgeId: 'e1',
      edgeName: 'press-1',
      kind: 'status',
      data: { id: 'n2', z: 't1', status: { fill: 'green', shape: 'dot', text: 'connected' } },
    });
    relay({
      edgeId: 'e1',
      edgeName: 'press-1',
      kind: 'debug',
      data: { id: 'd1', z: 't1', name: 'out', property: 'payload', msg: 42 },
    });
    relay({ edgeId: 'e1', edgeName: 'press-1', kind: 'status', data: { id: 'n3', status: { fill: 'purple' } } });
    expect(emitted[0]).toEqual({
      event: 'status',
      data: { id: 'n2', z: 't1', status: { fill: 'green', shape: 'dot', text: 'press-1: connected' } },
    });
    expect(emitted[1]?.event).toBe('debug');
    expect((emitted[1]?.data as { messages: unknown[] }).messages[0]).toMatchObject({
      id: 'd1',
      z: 't1',
      name: 'out @ press-1',
      edge: 'e1',
      msg: 42,
      format: 'number',
    });
    expect(emitted).toHaveLength(2);
  });
});
