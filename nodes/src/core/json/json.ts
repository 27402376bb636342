import { createRequire } from 'node:module';
import type { AnySchema, AnySchemaObject, ValidateFunction } from 'ajv';
import { z } from 'zod';
import { defineNode, type Done, type Msg, type Send } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, stringish } from '../../shared/typed-value.js';

const configSchema = z.object({
  name: stringish(),
  /** '': convert both ways; 'str': always to a JSON string; 'obj': always to an object. */
  action: stringish('').pipe(z.enum(['', 'str', 'obj'])),
  property: stringish('payload'),
  pretty: boolish(false),
});

const require = createRequire(import.meta.url);

/** Node-RED's texts, so that flows testing error or warning text behave alike. */
const TEXT = {
  droppedObject: 'Ignored non-object payload',
  dropped: 'Ignored unsupported payload type',
  droppedError: 'Failed to convert payload',
  schemaError: 'JSON Schema error',
  schemaCompile: 'JSON Schema error: failed to compile schema',
};

/**
 * `msg.schema` validation as in Node-RED: the same ajv version and options (all errors, draft-06
 * meta schema added), the compiled schema kept until a message brings a different one.
 */
function schemaValidator() {
  let ajvInstance: InstanceType<typeof import('ajv').Ajv> | undefined;
  // ajv is loaded with the first msg.schema, not at import: most json nodes never validate and
  // an agent should not pay its memory for them. require() keeps the node synchronous.
  const ajv = () => {
    if (ajvInstance) return ajvInstance;
    const { Ajv } = require('ajv') as typeof import('ajv');
    const instance = new Ajv({ allErrors: true });
    instance.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json') as AnySchemaObject);
    ajvInstance = instance;
    return instance;
  };
  let schemaText: string | undefined;
  let compiled: ValidateFunction | undefined;
  return {
    /** Compiles msg.schema when it changed; false when it does not compile. */
    prepare(schema: unknown): boolean {
      const text = JSON.stringify(schema);
      if (text === schemaText && compiled) return true;
      try {
        compiled = ajv().compile(schema as AnySchema);
        schemaText = text;
        return true;
      } catch {
        compiled = undefined;
        schemaText = undefined;
        return false;
      }
    },
    /** Validates; on failure sets msg.schemaError and gives the error text. */
    check(msg: Msg, value: unknown): string | undefined {
      if (!compiled) return TEXT.schemaCompile;
      if (compiled(value)) {
        delete msg['schema'];
        return undefined;
      }
      msg['schemaError'] = compiled.errors;
      return `${TEXT.schemaError}: ${ajv().errorsText(compiled.errors)}`;
    },
  };
}

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
    'With `msg.schema` (a JSON Schema), the value is validated as well: on success `msg.schema` is removed; on failure the error goes to catch nodes with `msg.schemaError` holding the list of problems.',
    '',
    'A message without the property passes unchanged; a string that is not valid JSON is an error.',
  ].join('\n'),
  create(ctx, config) {
    const property = config.property || 'payload';
    const indent = config.pretty ? 4 : 0;
    const schema = schemaValidator();

    /** Sends msg unless the schema (when there is one) rejects value. */
    const finish = (msg: Msg, value: unknown, validate: boolean, send: Send, done: Done, before?: () => void) => {
      if (validate) {
        const problem = schema.check(msg, value);
        if (problem) return done(problem);
      }
      before?.();
      send(msg);
      done();
    };

    return {
      input(msg, send, done) {
        let validate = false;
        if (msg['schema']) {
          if (!schema.prepare(msg['schema'])) return done(TEXT.schemaCompile);
          validate = true;
        }
        const value = nrUtil.getMessageProperty(msg, property);
        if (value === undefined) {
          send(msg);
          return done();
        }
        if (typeof value === 'string' || Buffer.isBuffer(value)) {
          // Node-RED validates msg[property] here, the top-level key, even for a nested path.
          const top = () => msg[property];
          if (config.action !== 'str') {
            // Node-RED reports the parser's message alone (no "SyntaxError: " in msg.error.message).
            let parsed: unknown;
            try {
              parsed = JSON.parse(String(value));
            } catch (err) {
              return done((err as Error).message);
            }
            nrUtil.setMessageProperty(msg, property, parsed);
            return finish(msg, top(), validate, send, done);
          }
          if (!validate) return finish(msg, value, false, send, done);
          let parsed: unknown;
          try {
            parsed = JSON.parse(String(top()));
          } catch (err) {
            return done(err);
          }
          return finish(msg, parsed, true, send, done);
        }
        if (typeof value === 'object' || typeof value === 'boolean' || typeof value === 'number') {
          if (config.action === 'obj') return finish(msg, value, validate, send, done);
          if (Buffer.isBuffer(value)) {
            ctx.warn(TEXT.droppedObject);
            return done();
          }
          let text: string;
          try {
            text = JSON.stringify(value, null, indent);
          } catch {
            return done(TEXT.droppedError);
          }
          return finish(msg, value, validate, send, done, () => nrUtil.setMessageProperty(msg, property, text));
        }
        ctx.warn(TEXT.dropped);
        done();
      },
    };
  },
});
