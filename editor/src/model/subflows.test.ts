import { describe, expect, it } from 'vitest';
import { createSubflowFromSelection, setSubflowPorts } from './subflows.js';
import { portsOf } from './subflow-ports.js';
import { connect, subflowPortWires } from './wires.js';
import type { FlowDoc } from './types.js';

const doc: FlowDoc = [
  { id: 't1', type: 'tab', label: 'Flow 1' },
  { id: 'src', type: 'inject', z: 't1', x: 100, y: 100, wires: [['a']] },
  { id: 'a', type: 'change', z: 't1', x: 300, y: 100, wires: [['b']] },
  { id: 'b', type: 'switch', z: 't1', x: 500, y: 100, wires: [['dst'], []] },
  { id: 'dst', type: 'debug', z: 't1', x: 700, y: 100, wires: [] },
];

describe('subflows', () => {
  it('creates a subflow from a selection, wiring an instance in its place', () => {
    const { doc: next, subflowId, instanceId } = createSubflowFromSelection(doc, ['a', 'b'], 't1');
    const def = next.find((n) => n.id === subflowId);
    const instance = next.find((n) => n.id === instanceId);
    expect(def?.type).toBe('subflow');
    expect(portsOf(def!, 'in')[0]?.wires).toEqual([{ id: 'a' }]);
    expect(portsOf(def!, 'out').map((p) => p.wires)).toEqual([[{ id: 'b', port: 0 }]]);
    expect(instance).toMatchObject({ type: `subflow:${subflowId}`, z: 't1', wires: [['dst']] });
    expect(next.find((n) => n.id === 'src')?.wires).toEqual([[instanceId]]);
    expect(next.filter((n) => n.z === subflowId).map((n) => n.id)).toEqual(['a', 'b']);
    expect(next.find((n) => n.id === 'b')?.wires).toEqual([[], []]);
  });

  it('changes the port count and wires a virtual port', () => {
    const { doc: next, subflowId } = createSubflowFromSelection(doc, ['a'], 't1');
    const resized = setSubflowPorts(next, subflowId, 1, 2);
    expect(portsOf(resized.find((n) => n.id === subflowId)!, 'out')).toHaveLength(2);
    const wired = connect(resized, { source: 'a', port: 0, target: `${subflowId}::out::1` });
    expect(subflowPortWires(wired.find((n) => n.id === subflowId)!)).toContainEqual({
      source: 'a',
      port: 0,
      target: `${subflowId}::out::1`,
    });
  });
});
