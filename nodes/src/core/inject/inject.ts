import { Cron } from 'croner';
import { z } from 'zod';
import { defineNode, generateId, type Msg, type NodeContext } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, compileTypedValue, numberish, stringish, typedValueProblem, type TypedValue } from '../../shared/typed-value.js';
import { createTicker } from './ticker.js';

/**
 * Typed-input types an inject property may have. The editor does not offer `msg`, but Node-RED
 * evaluates it (a property of the message being built, set by an earlier property) and flows use it.
 */
const INJECT_TYPES = ['msg', 'flow', 'global', 'str', 'num', 'bool', 'json', 'bin', 're', 'date', 'jsonata', 'env', 'node'];
const MAX_REPEAT_S = 2147483;

const propSchema = z
  .object({ p: stringish(), v: z.unknown().optional(), vt: z.string().optional() })
  .passthrough();
type RawProp = z.infer<typeof propSchema>;

function cronProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop();
    return undefined;
  } catch (err) {
    return `invalid crontab "${pattern}": ${(err as Error).message}`;
  }
}

const configSchema = z
  .object({
    name: stringish(),
    props: z.array(propSchema).optional(),
    payload: z.unknown().optional(),
    payloadType: z.string().optional(),
    topic: stringish(),
    /** Seconds between injections; blank or 0 for none. */
    repeat: numberish(0).pipe(
      z.number().min(0, 'repeat must not be negative').max(MAX_REPEAT_S, `repeat must be at most ${MAX_REPEAT_S} seconds`),
    ),
    crontab: stringish().superRefine((v, c) => {
      const problem = v.trim() ? cronProblem(v.trim()) : undefined;
      if (problem) c.addIssue({ code: 'custom', message: problem });
    }),
    once: boolish(false),
    /** Seconds after start for the `once` injection. */
    onceDelay: numberish(0.1).pipe(z.number().min(0)),
  })
  .superRefine((cfg, c) => {
    normaliseProps(cfg).forEach((prop, i) => {
      const vt = prop.vt ?? 'str';
      const path = cfg.props ? ['props', i, 'vt'] : ['payloadType'];
      if (!INJECT_TYPES.includes(vt)) {
        c.addIssue({ code: 'custom', path, message: `unsupported value type "${vt}" for msg.${prop.p}` });
        return;
      }
      const problem = skipped(prop) ? undefined : typedValueProblem(prop.v, vt);
      if (problem) c.addIssue({ code: 'custom', path: cfg.props ? ['props', i, 'v'] : ['payload'], message: `msg.${prop.p}: ${problem}` });
    });
  });
type InjectConfig = z.infer<typeof configSchema>;

/** Node-RED's legacy handling: payload/topic live beside `props` on older nodes. */
function normaliseProps(cfg: Pick<InjectConfig, 'props' | 'payload' | 'payloadType' | 'topic'>): RawProp[] {
  if (!cfg.props) {
    return [
      { p: 'payload', v: cfg.payload, vt: cfg.payloadType },
      { p: 'topic', v: cfg.topic, vt: 'str' },
    ];
  }
  return cfg.props.map((prop) => {
    if (prop.p === 'payload' && !('v' in prop)) return { ...prop, v: cfg.payload, vt: cfg.payloadType };
    if (prop.p === 'topic' && prop.vt === 'str' && !('v' in prop)) return { ...prop, v: cfg.topic };
    return prop;
  });
}

interface CompiledProp {
  p: string;
  value: TypedValue;
}

/** Node-RED skips a property without a name, and a JSONata property with no expression. */
function skipped(prop: RawProp): boolean {
  return !prop.p || (prop.vt === 'jsonata' && !prop.v);
}

function compileProps(ctx: NodeContext, props: RawProp[]): CompiledProp[] {
  return props
    .filter((prop) => !skipped(prop))
    .map((prop) => ({ p: prop.p, value: compileTypedValue(ctx, prop.v ?? '', prop.vt ?? 'str') }));
}

/** Sets each property on msg; returns the errors (Node-RED reports them together, joined). */
function applyProps(props: CompiledProp[], msg: Msg): string[] | Promise<string[]> {
  const errors: string[] = [];
  if (!props.some((prop) => prop.value.async)) {
    for (const { p, value } of props) {
      try {
        nrUtil.setMessageProperty(msg, p, value.get(msg), true);
      } catch (err) {
        errors.push(String(err));
      }
    }
    return errors;
  }
  return (async () => {
    for (const { p, value } of props) {
      try {
        nrUtil.setMessageProperty(msg, p, await value.getAsync(msg), true);
      } catch (err) {
        errors.push(value.type === 'jsonata' ? `Invalid JSONata expression: ${(err as Error).message}` : String(err));
      }
    }
    return errors;
  })();
}

export const injectNode = defineNode({
  type: 'inject',
  category: 'core',
  inputs: 0,
  outputs: 1,
  config: configSchema,
  label: 'inject',
  icon: 'inject.svg',
  color: '#a6bbcf',
  help: [
    'Injects a message into a flow, by hand, once after the flow starts, at an interval, or on a schedule.',
    '',
    '**Properties**: each sets one message property (`payload`, `topic`, ...) to a string, number, boolean, JSON, buffer, timestamp, JSONata result, env variable, or flow/global context value.',
    '',
    '**Inject once after** *n* seconds: fires when the flow starts. **Repeat**: every *n* seconds, or at times given as a cron expression (`*/5 * * * *`).',
    '',
    'When the runtime is overloaded, a repeating inject waits instead of piling up messages.',
  ].join('\n'),
  create(ctx, config) {
    const normalised = normaliseProps(config);
    // Node-RED compiles every JSONata property at start and logs one that does not compile (an
    // empty one, which it then skips when injecting); other bad expressions fail the deploy here.
    for (const prop of normalised) {
      if (prop.vt !== 'jsonata' || prop.v) continue;
      try {
        nrUtil.prepareJSONataExpression('', null);
      } catch (err) {
        ctx.error(`Invalid JSONata expression: ${(err as Error).message}`);
      }
    }
    const props = compileProps(ctx, normalised);

    const inject = (msg: Msg, list: CompiledProp[], finish: (err?: string) => void) => {
      const result = applyProps(list, msg);
      const complete = (errors: string[]) => {
        if (errors.length) return finish(errors.join('; '));
        ctx.send(msg);
        finish();
      };
      if (Array.isArray(result)) complete(result);
      else result.then(complete, (err: unknown) => finish(String(err)));
    };

    const fire = () => {
      const msg: Msg = { _msgid: generateId() };
      inject(msg, props, (err) => {
        if (err) ctx.error(err, msg);
      });
    };

    const ticker = createTicker(ctx.flowControl, fire);
    const tick = () => ticker.tick();

    let cron: Cron | undefined;
    const startRepeat = () => {
      if (config.repeat > 0) ctx.timers.setInterval(tick, config.repeat * 1000);
      else if (config.crontab.trim()) {
        cron = new Cron(config.crontab.trim(), { catch: (err) => ctx.error(err) }, tick);
      }
    };
    if (config.once) {
      ctx.timers.setTimeout(() => {
        fire();
        startRepeat();
      }, config.onceDelay * 1000);
    } else startRepeat();

    return {
      input(msg, _send, done) {
        // The editor's button may carry its own properties for this one injection.
        let list = props;
        const userProps = msg['__user_inject_props__'];
        delete msg['__user_inject_props__'];
        if (Array.isArray(userProps)) {
          const parsed = z.array(propSchema).safeParse(userProps);
          if (!parsed.success) return done(new Error(`invalid __user_inject_props__: ${parsed.error.message}`));
          try {
            list = compileProps(ctx, parsed.data);
          } catch (err) {
            return done(err);
          }
        }
        inject(msg, list, (err) => done(err));
      },
      close() {
        ticker.stop();
        cron?.stop();
      },
    };
  },
});
