import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { sequenceNodes } from './sequence-nodes.js';

const TYPES = [
  'catch',
  'status',
  'complete',
  'link in',
  'link out',
  'link call',
  'junction',
  'comment',
  'split',
  'join',
  'delay',
  'trigger',
  'rbe',
  'sort',
  'batch',
];

describe('sequence node descriptors', () => {
  it('lists each Node-RED sequence and routing type once', () => {
    expect(sequenceNodes.map((d) => d.type).sort()).toEqual([...TYPES].sort());
  });

  for (const def of sequenceNodes) {
    it(`${def.type}: core category, editor metadata, a config that takes Node-RED's blanks`, () => {
      expect(def.category).toBe('core');
      expect(def.label).toBeTruthy();
      expect(def.color).toMatch(/^#[0-9a-fA-F]{3,6}$/);
      expect(def.help?.length).toBeGreaterThan(40);
      // A node exactly as a hand-written flow might carry it: no properties at all.
      expect(def.config.safeParse({}).success).toBe(true);
      expect(() => z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    });
  }

  it('derive their output count from the stored config where Node-RED does', () => {
    const outputs = (type: string, raw: Record<string, unknown>) => {
      const def = sequenceNodes.find((d) => d.type === type);
      return typeof def?.outputs === 'function' ? def.outputs(raw) : def?.outputs;
    };
    expect(outputs('delay', { outputs: 2 })).toBe(2);
    expect(outputs('delay', {})).toBe(1);
    expect(outputs('trigger', { outputs: '2' })).toBe(2);
    expect(outputs('link out', {})).toBe(0);
  });
});
