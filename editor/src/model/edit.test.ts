import { describe, expect, it } from 'vitest';
import { addNode, deleteNodes, moveNodes, updateNode } from './edit.js';
import { connect, disconnect, wiresOf } from './wires.js';
import type { FlowDoc, NodeTypeInfo } from './types.js';

const fn: NodeTypeInfo = { type: 'function', category: 'core', inputs: 1, outputs: null, defaults: { func: 'return msg;', outputs: 1 } };
const tab = { id: 't1', type: 'tab', label: 'Flow 1' };

describe('edit', () => {
  it('adds a node with its defaults, a position and one wire slot per output', () => {
    const { doc, id } = addNode([tab], { type: 'function', z: 't1', at: { x: 100.4, y: 80 }, info: fn });
    const node = doc.find((n) => n.id === id);
    expect(node).toMatchObject({ type: 'function', z: 't1', x: 100, y: 80, func: 'return msg;', wires: [[]] });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('wires, refuses duplicates and self-loops, unwires', () => {
    let doc: FlowDoc = [tab, { id: 'a', type: 'x', z: 't1', wires: [[]] }, { id: 'b', type: 'x', z: 't1', wires: [] }];
    doc = connect(doc, { source: 'a', port: 0, target: 'b' });
    const again = connect(doc, { source: 'a', port: 0, target: 'b' });
    expect(again).toBe(doc);
    expect(connect(doc, { source: 'a', port: 0, target: 'a' })).toBe(doc);
    expect(wiresOf(doc)).toEqual([{ source: 'a', port: 0, target: 'b' }]);
    doc = disconnect(doc, { source: 'a', port: 0, target: 'b' });
    expect(wiresOf(doc)).toEqual([]);
  });

  it('fits the wires to a derived output count when properties change', () => {
    let doc: FlowDoc = [tab, { id: 'f', type: 'function', z: 't1', outputs: 2, wires: [['x'], ['y']] }];
    doc = updateNode(doc, 'f', { outputs: 1 }, fn);
    expect(doc[1]?.wires).toEqual([['x']]);
    doc = updateNode(doc, 'f', { outputs: 3, name: undefined }, fn);
    expect(doc[1]?.wires).toEqual([['x'], [], []]);
  });

  it('moves nodes and keeps untouched nodes identical (structural sharing)', () => {
    const doc: FlowDoc = [tab, { id: 'a', type: 'x', z: 't1', x: 1, y: 1 }, { id: 'b', type: 'x', z: 't1', x: 5, y: 5 }];
    const next = moveNodes(doc, new Map([['a', { x: 10.6, y: 20 }]]));
    expect(next[1]).toMatchObject({ x: 11, y: 20 });
    expect(next[2]).toBe(doc[2]);
    expect(next[0]).toBe(doc[0]);
  });

  it('deletes nodes with the wires into them, group contents and tab contents', () => {
    const doc: FlowDoc = [
      tab,
      { id: 'a', type: 'x', z: 't1', wires: [['b', 'c']] },
      { id: 'b', type: 'x', z: 't1', wires: [], g: 'g1' },
      { id: 'c', type: 'x', z: 't1', wires: [] },
      { id: 'g1', type: 'group', z: 't1', nodes: ['b'] },
    ];
    const withoutGroup = deleteNodes(doc, ['g1']);
    expect(withoutGroup.map((n) => n.id)).toEqual(['t1', 'a', 'c']);
    expect(withoutGroup[1]?.wires).toEqual([['c']]);
    expect(deleteNodes(doc, ['t1'])).toEqual([]);
  });
});
