import yaml from 'js-yaml';
import mustache from 'mustache';
import { z } from 'zod';
import { defineNode, type ContextApi, type Msg, type NodeContext } from '@gridflow/runtime';
import { nodeShim, nrUtil } from '../../shared/node-red-util.js';
import { stringish } from '../../shared/typed-value.js';

type Spans = ReturnType<typeof mustache.parse>;

function parseProblem(template: string): string | undefined {
  try {
    mustache.parse(template);
    return undefined;
  } catch (err) {
    return `invalid mustache template: ${(err as Error).message}`;
  }
}

const configSchema = z
  .object({
    name: stringish(),
    field: stringish('payload'),
    fieldType: stringish('msg').pipe(z.enum(['msg', 'flow', 'global'])),
    /** The editor's syntax highlighting mode; not used at run time. */
    format: stringish('handlebars'),
    syntax: stringish('mustache').pipe(z.enum(['mustache', 'plain'])),
    template: stringish(''),
    output: stringish('str').pipe(z.enum(['str', 'json', 'yaml'])),
  })
  .superRefine((cfg, c) => {
    const problem = cfg.syntax === 'mustache' ? parseProblem(cfg.template) : undefined;
    if (problem) c.addIssue({ code: 'custom', path: ['template'], message: problem });
  });

/** Every tag name a template uses, sections included. */
function tagNames(spans: Spans, into = new Set<string>()): Set<string> {
  for (const span of spans) {
    if (span[0] === 'text') continue;
    into.add(String(span[1]));
    const children = (span as unknown[])[4];
    if (Array.isArray(children)) tagNames(children as Spans, into);
  }
  return into;
}

const CONTEXT_TAG = /^(flow|global)(\[(\w+)\])?\.(.+)/;
const ENV_TAG = /^env\.(.+)/;

/**
 * Node-RED's template lookup: message properties first (escaped for JSON output), then `env.X`,
 * `flow.x` and `global[store].x` values resolved before rendering; anything else renders empty.
 */
class TemplateContext extends mustache.Context {
  private readonly msgContext: InstanceType<typeof mustache.Context>;

  constructor(
    view: unknown,
    private readonly resolved: Map<string, unknown>,
    private readonly escapeStrings: boolean,
    parent?: InstanceType<typeof mustache.Context>,
  ) {
    super(view, parent);
    this.msgContext = new mustache.Context(view, parent);
  }

  override lookup(name: string): unknown {
    const value: unknown = this.msgContext.lookup(name);
    if (value !== undefined) {
      if (!this.escapeStrings || typeof value !== 'string') return value;
      return value
        .replace(/\\/g, '\\\\')
        .replace(/\n/g, '\\n')
        .replace(/\t/g, '\\t')
        .replace(/\r/g, '\\r')
        .replace(/\f/g, '\\f')
        .replace(/[\b]/g, '\\b');
    }
    if (ENV_TAG.test(name) || CONTEXT_TAG.test(name)) return this.resolved.get(name);
    return '';
  }

  override push(view: unknown): InstanceType<typeof mustache.Context> {
    return new TemplateContext(view, this.resolved, false, this.msgContext);
  }
}

function resolveTags(ctx: NodeContext, context: ContextApi, names: Iterable<string>): Map<string, unknown> {
  const resolved = new Map<string, unknown>();
  for (const name of names) {
    const env = ENV_TAG.exec(name);
    if (env) {
      resolved.set(name, nrUtil.evaluateNodeProperty(env[1], 'env', nodeShim(ctx), null));
      continue;
    }
    const m = CONTEXT_TAG.exec(name);
    if (m) {
      const scope = m[1] === 'flow' ? context.flow : context.global;
      resolved.set(name, scope.get(m[4] as string, m[3] || undefined));
    }
  }
  return resolved;
}

export const templateNode = defineNode({
  type: 'template',
  category: 'core',
  keepsEmptyName: true,
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'template',
  icon: 'template.svg',
  color: '#F3B567',
  help: [
    'Sets a property from a template.',
    '',
    'With *mustache* syntax, `{{payload}}` or `{{topic}}` insert message properties (HTML-escaped; `{{{payload}}}` unescaped), `{{flow.name}}`, `{{global.name}}` and `{{env.NAME}}` insert context and env values; `{{#list}}...{{/list}}` repeats a section. *Plain* text is used as it is.',
    '',
    'The result is set as a string, or parsed as JSON or YAML (*output* format), into a message property or flow/global context. When the template is blank, `msg.template` is used.',
  ].join('\n'),
  create(ctx, config) {
    const field = config.field || 'payload';
    const fixedTags = config.syntax === 'mustache' ? tagNames(mustache.parse(config.template)) : new Set<string>();

    const render = (msg: Msg): string => {
      let template = config.template;
      let tags = fixedTags;
      if (Object.prototype.hasOwnProperty.call(msg, 'template') && template === '') {
        template = String(msg['template'] ?? '');
        if (config.syntax === 'mustache') tags = tagNames(mustache.parse(template));
      }
      if (config.syntax !== 'mustache') return template;
      const resolved = resolveTags(ctx, ctx.context(), tags);
      return mustache.render(template, new TemplateContext(msg, resolved, config.output === 'json'));
    };

    return {
      input(msg, send, done) {
        let value: unknown;
        try {
          const text = render(msg);
          value = config.output === 'json' ? JSON.parse(text) : config.output === 'yaml' ? yaml.load(text) : text;
        } catch (err) {
          // Node-RED reports the message alone, without the error's class name.
          return done((err as Error).message);
        }
        if (config.fieldType === 'msg') nrUtil.setMessageProperty(msg, field, value);
        else {
          const key = nrUtil.parseContextStore(field);
          ctx.context()[config.fieldType].set(key.key, value, key.store);
        }
        send(msg);
        done();
      },
    };
  },
});
