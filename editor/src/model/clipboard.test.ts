import { describe, expect, it } from 'vitest';
import { exportableSet, pasteNodes } from './clipboard.js';
import { parseImport } from './import-export.js';
import type { FlowDoc } from './types.js';

const doc: FlowDoc = [
  { id: 't1', type: 'tab', label: 'Flow 1' },
  { id: 'broker', type: 'mqtt-broker', broker: 'localhost' },
  { id: 'in', type: 'mqtt in', z: 't1', broker: 'broker', x: 100, y: 100, wires: [['fn']] },
  { id: 'fn', type: 'function', z: 't1', x: 300, y: 100, wires: [['out', 'far']] },
  { id: 'out', type: 'debug', z: 't1', x: 500, y: 100, wires: [] },
  { id: 'far', type: 'debug', z: 't1', x: 500, y: 300, wires: [] },
];

describe('copy and paste', () => {
  it('exports a selection with the config nodes it uses and cuts wires that leave it', () => {
    const set = exportableSet(doc, ['in', 'fn', 'out']);
    expect(set.map((n) => n.id).sort()).toEqual(['broker', 'fn', 'in', 'out']);
    expect(set.find((n) => n.id === 'fn')?.wires).toEqual([['out']]);
  });

  it('pastes with new ids, remapped wires, the reused config node and an offset', () => {
    const set = exportableSet(doc, ['in', 'fn', 'out']);
    const { doc: next, placed } = pasteNodes(doc, set, { z: 't1', at: { x: 100, y: 400 } });
    expect(placed).toHaveLength(3);
    expect(next).toHaveLength(doc.length + 3);
    const pasted = next.filter((n) => placed.includes(n.id));
    const pin = pasted.find((n) => n.type === 'mqtt in');
    const pfn = pasted.find((n) => n.type === 'function');
    const pout = pasted.find((n) => n.type === 'debug');
    expect(pin?.['broker']).toBe('broker');
    expect(pin?.wires).toEqual([[pfn?.id]]);
    expect(pfn?.wires).toEqual([[pout?.id]]);
    expect(pin).toMatchObject({ x: 100, y: 400, z: 't1' });
    for (const p of pasted) expect(doc.some((n) => n.id === p.id)).toBe(false);
  });

  it('pastes a Node-RED export with a tab as a new tab with its nodes on it', () => {
    const exported = parseImport(
      JSON.stringify([
        { id: 'aa', type: 'tab', label: 'Imported' },
        { id: 'bb', type: 'inject', z: 'aa', x: 1, y: 2, wires: [['cc']] },
        { id: 'cc', type: 'debug', z: 'aa', x: 3, y: 4, wires: [] },
      ]),
    );
    const { doc: next, tabs, placed } = pasteNodes(doc, exported, { z: 't1' });
    expect(tabs).toHaveLength(1);
    expect(placed).toEqual([]);
    const onNewTab = next.filter((n) => n.z === tabs[0]);
    expect(onNewTab.map((n) => n.type)).toEqual(['inject', 'debug']);
    expect(onNewTab[0]?.wires).toEqual([[onNewTab[1]?.id]]);
  });

  it('rejects a document with duplicate ids and reads a single node object', () => {
    expect(() => parseImport('[{"id":"a","type":"x"},{"id":"a","type":"y"}]')).toThrow(/duplicate/);
    expect(parseImport('{"id":"a","type":"inject"}')).toHaveLength(1);
    expect(() => parseImport('nope')).toThrow(/JSON/);
  });
});
