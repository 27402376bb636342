import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, stringish } from '../../shared/typed-value.js';

const configSchema = z.object({
  name: stringish(),
  /** '': convert both ways; 'str': always to a JSON string; 'obj': always to an object. */
  action: stringish('').pipe(z.enum(['', 'str', 'obj'])),
  property: stringish('payload'),
  pretty: boolish(false),
});

export const jsonNode = defineNode({
  type: 'json',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'json',
  icon: 'parser-json.svg',
  color: '#DEBD5C',
  help: [
    'Converts between a JSON string and its JavaScript object.',
    '',
    'By default a string (or buffer) is parsed into an object and anything else is turned into a JSON string; *action* can fix one direction. *Format* pretty-prints with 4 spaces.',
    '',
    'A message without the property passes unchanged; a string that is not valid JSON is an error.',
  ].join('\n'),
  create(ctx, config) {
    const property = config.property || 'payload';
    const indent = config.pretty ? 4 : 0;
    return {
      input(msg, send) {
        const value = nrUtil.getMessageProperty(msg, property);
        if (value === undefined) return send(msg);
        if (typeof value === 'string' || Buffer.isBuffer(value)) {
          if (config.action !== 'str') nrUtil.setMessageProperty(msg, property, JSON.parse(String(value)));
          return send(msg);
        }
        if (typeof value === 'object' || typeof value === 'boolean' || typeof value === 'number') {
          if (config.action === 'obj') return send(msg);
          if (Buffer.isBuffer(value)) return ctx.warn('Dropped: msg.payload is a Buffer');
          let text: string;
          try {
            text = JSON.stringify(value, null, indent);
          } catch (err) {
            throw new Error(`Dropped: error converting msg.${property} to JSON: ${(err as Error).message}`);
          }
          nrUtil.setMessageProperty(msg, property, text);
          return send(msg);
        }
        ctx.warn(`Dropped: msg.${property} is not a string, object, number or boolean`);
      },
    };
  },
});
