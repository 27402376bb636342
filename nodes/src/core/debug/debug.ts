import util from 'node:util';
import { z } from 'zod';
import { defineNode, type Msg, type NodeStatus } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, compileTypedValue, stringish, typedValueProblem, type TypedValue } from '../../shared/typed-value.js';

/** Node-RED's debugMaxLength and debugStatusLength defaults. */
export const DEBUG_MAX_LENGTH = 1000;
const STATUS_MAX_LENGTH = 32;

const jsonataField = (typeKey: 'targetType' | 'statusType', valueKey: 'complete' | 'statusVal') =>
  (cfg: Record<string, unknown>, c: z.RefinementCtx) => {
    if (cfg[typeKey] !== 'jsonata') return;
    const problem = typedValueProblem(cfg[valueKey], 'jsonata');
    if (problem) c.addIssue({ code: 'custom', path: [valueKey], message: problem });
  };

const configSchema = z
  .object({
    name: stringish(),
    active: boolish(true),
    tosidebar: boolish(true),
    console: boolish(false),
    tostatus: boolish(false),
    /** 'payload', 'true' (the whole message), a message property, or a JSONata expression (targetType 'jsonata'). */
    complete: stringish('payload'),
    targetType: z.enum(['msg', 'full', 'jsonata']).optional(),
    statusVal: stringish(),
    statusType: stringish('auto').pipe(z.enum(['auto', 'msg', 'jsonata', 'counter'])),
  })
  .superRefine(jsonataField('targetType', 'complete'))
  .superRefine(jsonataField('statusType', 'statusVal'));

/** What a debug node can be told from outside (the editor's on/off button). */
export interface DebugApi {
  setActive(active: boolean): void;
}

const hasOwn = (o: unknown, k: string) => o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

export const debugNode = defineNode<typeof configSchema, DebugApi>({
  type: 'debug',
  category: 'core',
  keepsEmptyName: true,
  inputs: 1,
  outputs: 0,
  config: configSchema,
  label: 'debug',
  icon: 'debug.svg',
  color: '#87a980',
  help: [
    'Shows message properties in the debug sidebar, the runtime log, or the node status.',
    '',
    '**Output**: `msg.payload` by default, another property, the complete message, or a JSONata expression.',
    '',
    '**To**: the debug sidebar, the system console (runtime log), and/or the node status (the same value, a property, a JSONata result, or a message counter).',
    '',
    `Long values are cut to ${DEBUG_MAX_LENGTH} characters (array items, buffer bytes) in the sidebar.`,
  ].join('\n'),
  create(ctx, config) {
    let active = config.active;
    const expression: TypedValue | undefined =
      config.targetType === 'jsonata' ? compileTypedValue(ctx, config.complete, 'jsonata') : undefined;
    const complete = expression ? '' : config.complete === 'false' || config.complete === '' ? 'payload' : config.complete;
    const whole = complete === 'true';
    const statusExpr: TypedValue | undefined =
      config.statusType === 'jsonata' ? compileTypedValue(ctx, config.statusVal, 'jsonata') : undefined;
    const statusVal = config.statusVal || complete;

    const invalidExpression = `Invalid JSONata expression: ${config.complete}`;
    let counter = 0;
    // Node-RED starts the rate limit at creation: a message in the first 100 ms waits 200 ms.
    let lastCount = Date.now();
    let counterTimer: NodeJS.Timeout | undefined;
    let oldStatus = '';
    if (config.tostatus) ctx.status(config.statusType === 'counter' ? { fill: 'blue', shape: 'ring', text: '0' } : { fill: 'grey', shape: 'ring' });

    const property = (msg: Msg, path: string): unknown => {
      try {
        return nrUtil.getMessageProperty(msg, path);
      } catch {
        return undefined; // a path that does not resolve shows as undefined, as in Node-RED
      }
    };

    const publish = (msg: Msg, value: unknown) => {
      if (config.console) {
        if (typeof value === 'string') ctx.log((value.includes('\n') ? '\n' : '') + value);
        else ctx.log((typeof value === 'object' ? '\n' : '') + util.inspect(value, { depth: 10 }));
      }
      if (!active || !config.tosidebar) return;
      const encoded = nrUtil.encodeObject({ msg: value }, { maxLength: DEBUG_MAX_LENGTH });
      ctx.publishDebug({
        // The event contract's mark for "not one property" (the whole message, an expression),
        // where Node-RED's sidebar message has no property at all.
        property: whole || expression ? 'msg' : complete,
        msg: encoded.msg,
        ...(encoded.format ? { format: encoded.format } : {}),
        ...(msg.topic !== undefined && msg.topic !== null ? { topic: String(msg.topic) } : {}),
        path: ctx.z,
      });
    };

    const showStatus = (msg: Msg, output: unknown) => {
      let text = typeof output === 'string' ? output : util.inspect(output);
      let fill: NodeStatus['fill'] = 'grey';
      let shape: NodeStatus['shape'] = 'dot';
      const o = output as { fill?: NodeStatus['fill']; shape?: NodeStatus['shape']; text?: unknown } | null;
      if (o && typeof o === 'object' && o.fill && o.shape && o.text) {
        fill = o.fill;
        shape = o.shape;
        text = String(o.text);
      }
      if (config.statusType === 'auto') {
        if (hasOwn(msg, 'error')) {
          fill = 'red';
          text = String((msg['error'] as { message?: unknown } | null)?.message ?? '');
        }
        if (hasOwn(msg, 'status')) {
          const s = (msg['status'] ?? {}) as NodeStatus;
          fill = s.fill || 'grey';
          shape = s.shape || 'ring';
          text = s.text ? String(s.text) : '';
        }
      }
      if (text.length > STATUS_MAX_LENGTH) text = `${text.slice(0, STATUS_MAX_LENGTH)}...`;
      const status: NodeStatus = { fill, shape, text };
      const key = JSON.stringify(status);
      if (key !== oldStatus) {
        oldStatus = key;
        ctx.status(status);
      }
    };

    const updateCounter = () => {
      counter++;
      const now = Date.now();
      const show = () => ctx.status({ fill: 'blue', shape: 'ring', text: String(counter) });
      // Node-RED's rate limit: at most one status per 100 ms, the last count shown after 200 ms.
      if (now - lastCount > 100) show();
      else {
        ctx.timers.clearTimeout(counterTimer);
        counterTimer = ctx.timers.setTimeout(show, 200);
      }
      lastCount = now;
    };

    const statusValue = (msg: Msg, shown: unknown): unknown | Promise<unknown> => {
      if (config.statusType === 'auto') return whole ? msg.payload : shown;
      if (statusExpr) return statusExpr.getAsync(msg);
      return property(msg, statusVal);
    };

    return {
      input(msg, _send, done) {
        const status = msg['status'] as { source?: { id?: unknown } } | undefined;
        if (status && typeof status === 'object' && status.source?.id === ctx.id) return done();
        const finish = (value: unknown) => {
          if (config.tostatus && config.statusType !== 'counter') {
            const sv = statusValue(msg, value);
            // Node-RED logs a failing status expression (naming the output expression, as it does) and carries on.
            if (sv instanceof Promise) sv.then((v) => showStatus(msg, v), () => ctx.error(invalidExpression));
            else showStatus(msg, sv);
          }
          publish(msg, value);
          done();
        };
        if (config.tostatus && config.statusType === 'counter') updateCounter();
        if (expression) {
          // Node-RED only logs a failing output expression: no catch node, no complete node.
          expression.getAsync(msg).then(finish, () => ctx.error(invalidExpression));
        } else finish(whole ? msg : property(msg, complete));
      },
      close() {
        if (config.tostatus) ctx.status({});
      },
      api: {
        setActive(value) {
          active = value;
        },
      },
    };
  },
});
