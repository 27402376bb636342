import yaml from 'js-yaml';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { stringish } from '../../shared/typed-value.js';

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
    return {
      input(msg, send) {
        const value = nrUtil.getMessageProperty(msg, property);
        if (value === undefined) return send(msg);
        if (typeof value === 'string') {
          nrUtil.setMessageProperty(msg, property, yaml.load(value));
          return send(msg);
        }
        if (typeof value === 'object' && !Buffer.isBuffer(value)) {
          let text: string;
          try {
            text = yaml.dump(value);
          } catch (err) {
            throw new Error(`Dropped: error converting msg.${property} to YAML: ${(err as Error).message}`);
          }
          nrUtil.setMessageProperty(msg, property, text);
          return send(msg);
        }
        ctx.warn(Buffer.isBuffer(value) ? 'Dropped: a Buffer cannot be converted' : `Dropped: msg.${property} is not a string or object`);
      },
    };
  },
});
