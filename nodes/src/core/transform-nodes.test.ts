import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { transformNodes } from './transform-nodes.js';

/** Each type's properties as Node-RED's editor creates a new node of that type. */
const EDITOR_DEFAULTS: Record<string, Record<string, unknown>> = {
  inject: { name: '', props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date' },
  debug: { name: '', active: true, tosidebar: true, console: false, tostatus: false, complete: 'false', statusVal: '', statusType: 'auto' },
  function: { name: '', func: '\nreturn msg;', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] },
  change: { name: '', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '', tot: 'str' }] },
  switch: { name: '', property: 'payload', propertyType: 'msg', rules: [{ t: 'eq', v: '', vt: 'str' }], checkall: 'true', repair: false },
  range: { minin: '0', maxin: '1', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload', name: '' },
  template: { name: '', field: 'payload', fieldType: 'msg', format: 'handlebars', syntax: 'mustache', template: 'This is the payload: {{payload}} !', output: 'str' },
  json: { name: '', property: 'payload', action: '', pretty: false },
  yaml: { property: 'payload', name: '' },
  csv: { name: '', spec: 'rfc', sep: ',', hdrin: '', hdrout: 'none', multi: 'one', ret: '\\r\\n', temp: '', skip: '0', strings: true, include_empty_strings: '', include_null_values: '' },
};

describe('transform node descriptors', () => {
  it('lists each Node-RED transform type once', () => {
    expect(transformNodes.map((d) => d.type).sort()).toEqual(Object.keys(EDITOR_DEFAULTS).sort());
  });

  for (const def of transformNodes) {
    it(`${def.type}: core category, editor metadata, Node-RED's defaults accepted, JSON Schema`, () => {
      expect(def.category).toBe('core');
      expect(def.label).toBeTruthy();
      expect(def.icon).toMatch(/\.svg$/);
      expect(def.color).toMatch(/^#[0-9a-fA-F]{3,6}$/);
      expect(def.help?.length).toBeGreaterThan(80);
      const parsed = def.config.safeParse(EDITOR_DEFAULTS[def.type]);
      expect(parsed.error?.issues).toBeUndefined();
      expect(() => z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    });
  }

  it('derive function and switch outputs from their properties', () => {
    const outputs = (type: string, raw: Record<string, unknown>) => {
      const def = transformNodes.find((d) => d.type === type);
      return typeof def?.outputs === 'function' ? def.outputs(raw) : def?.outputs;
    };
    expect(outputs('function', { outputs: '3' })).toBe(3);
    expect(outputs('function', { outputs: 0 })).toBe(0);
    expect(outputs('function', {})).toBe(1);
    expect(outputs('switch', { rules: [{ t: 'eq' }, { t: 'else' }] })).toBe(2);
    expect(outputs('inject', {})).toBe(1);
    expect(outputs('debug', {})).toBe(0);
  });
});
