import { describe, expect, it } from 'vitest';
import type { FlowNode } from '@gridflow/runtime';
import { cloudDocument, documentRev, edgeDocument, splitCredentials } from './edge-targets.js';

const flows: FlowNode[] = [
  { id: 'cloud', type: 'tab' },
  { id: 'plant', type: 'tab', target: 'edge', edgeGroups: ['plant-a'] },
  { id: 'one', type: 'tab', target: 'edge', edges: ['e2'] },
  { id: 'broker', type: 'mqtt-broker' },
  { id: 'tls', type: 'tls-config' },
  { id: 'unused', type: 'mqtt-broker' },
  { id: 'sf', type: 'subflow', name: 'S' },
  { id: 'sf-in', type: 'mqtt in', z: 'sf', broker: 'broker' },
  { id: 'c1', type: 'inject', z: 'cloud' },
  { id: 'p1', type: 'subflow:sf', z: 'plant' },
  { id: 'p2', type: 'debug', z: 'plant' },
  { id: 'o1', type: 'inject', z: 'one' },
];
(flows.find((n) => n.id === 'broker') as FlowNode)['tls'] = 'tls';

describe('edge targets', () => {
  it('keeps edge tabs out of the cloud document', () => {
    expect(cloudDocument(flows).map((n) => n.id)).toEqual(['cloud', 'broker', 'tls', 'unused', 'sf', 'sf-in', 'c1']);
  });
  it('gives an edge its tabs, the subflows they use and the config nodes they reach', () => {
    const doc = edgeDocument(flows, { id: 'e1', name: 'press-1', group: 'plant-a' });
    expect(doc.map((n) => n.id).sort()).toEqual(['broker', 'p1', 'p2', 'plant', 'sf', 'sf-in', 'tls'].sort());
    expect(edgeDocument(flows, { id: 'e2', name: 'x', group: null }).map((n) => n.id)).toEqual(['one', 'o1']);
    expect(edgeDocument(flows, { id: 'e3', name: 'y', group: 'other' })).toEqual([]);
  });
  it('gives the same revision to the same document', () => {
    const e = { id: 'e1', name: 'press-1', group: 'plant-a' };
    expect(documentRev(edgeDocument(flows, e))).toBe(documentRev(edgeDocument([...flows], e)));
  });
  it('takes node credentials out of the document for sealing', () => {
    const doc: FlowNode[] = [
      { id: 'b', type: 'mqtt-broker', credentials: { user: 'u', password: 'p' } },
      { id: 'n', type: 'inject', z: 't' },
      { id: 'e', type: 'mqtt-broker', credentials: {} },
    ];
    const { flows: plain, credentials } = splitCredentials(doc);
    expect(JSON.stringify(plain)).not.toContain('"p"');
    expect(plain.map((n) => 'credentials' in n)).toEqual([false, false, false]);
    expect(credentials).toEqual({ b: { credentials: { user: 'u', password: 'p' } } });
  });
});
