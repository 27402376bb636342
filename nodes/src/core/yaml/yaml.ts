import { createRequire } from 'node:module';
import type jsYaml from 'js-yaml';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { stringish } from '../../shared/typed-value.js';

const require = createRequire(import.meta.url);

const configSchema = z.object({
  name: stringish(),
  property: stringish('payload'),
});

export const yamlNode = defineNode({
  type: 'yaml',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'yaml',
  icon: 'parser-yaml.svg',
  color: '#DEBD5C',
  help: [
    'Converts between a YAML string and its JavaScript object.',
    '',
    'A string is parsed into an object; an object is turned into a YAML string. A message without the property passes unchanged; invalid YAML is an error.',
  ].join('\n'),
  create(ctx, config) {
    const property = config.property || 'payload';
    // js-yaml is loaded when a yaml node is created, not at import: flows without one never pay
    // its memory. require() keeps create synchronous.
    const yaml = require('js-yaml') as typeof jsYaml;
    // Node-RED hands done() the parser's message (no "YAMLException: " prefix) and warns with
    // its own texts, so flows that test them behave alike.
    return {
      input(msg, send, done) {
        const value = nrUtil.getMessageProperty(msg, property);
        if (value === undefined) {
          send(msg);
          return done();
        }
        if (typeof value === 'string') {
          let parsed: unknown;
          try {
            parsed = yaml.load(value);
          } catch (err) {
            return done((err as Error).message);
          }
          nrUtil.setMessageProperty(msg, property, parsed);
          send(msg);
          return done();
        }
        if (typeof value === 'object' && !Buffer.isBuffer(value)) {
          let text: string;
          try {
            text = yaml.dump(value);
          } catch {
            return done('Failed to convert payload');
          }
          nrUtil.setMessageProperty(msg, property, text);
          send(msg);
          return done();
        }
        if (Buffer.isBuffer(value)) ctx.warn('Ignored non-object payload');
        else ctx.warn('Ignored unsupported payload type');
        done();
      },
    };
  },
});
