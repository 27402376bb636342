import { z } from 'zod';
import Mustache from 'mustache';
import { defineNode, generateId, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { alertSinkKey, type Alert } from './alert-sink.js';
import { keyedSetup } from './keyed-node.js';
import { compileAccessor, toNumber } from './message-access.js';
import { keyFields, nonNegative, valueFields } from './stream-config.js';
import { clears, conditionOps, describeCondition, raises, type Condition } from './threshold-condition.js';
import { timeUnitSchema, toMs } from './time-units.js';

const DEFAULT_TEMPLATE = '{{key}}: {{state}} at {{value}} (limit {{condition}})';

const limit = (fallback?: number) =>
  z.preprocess((v) => (v === '' || v == null ? fallback : typeof v === 'string' ? Number(v) : v), z.number());

const thresholdAlertConfig = z
  .object({
    name: z.string().default(''),
    ...valueFields,
    op: z.enum(conditionOps).default('>'),
    threshold: limit(),
    /** The high limit for between/outside. */
    threshold2: limit(0),
    /** How far back past the limit a value must go to clear (keeps a hovering signal from flapping). */
    hysteresis: nonNegative(0),
    /** The condition must hold this long before the alert is raised. */
    onDelay: nonNegative(0),
    /** The clear condition must hold this long before the alert clears. */
    offDelay: nonNegative(0),
    units: timeUnitSchema.default('seconds'),
    severity: z.enum(['info', 'warning', 'major', 'critical']).default('warning'),
    /** Mustache, with msg, value, key, state, severity and condition. */
    template: z
      .string()
      .default(DEFAULT_TEMPLATE)
      .superRefine((t, issue) => {
        try {
          Mustache.parse(t);
        } catch (err) {
          issue.addIssue({ code: 'custom', message: `bad template: ${(err as Error).message}` });
        }
      }),
    ...keyFields,
  })
  .superRefine((c, issue) => {
    if ((c.op === 'between' || c.op === 'outside') && c.threshold2 < c.threshold) {
      issue.addIssue({
        code: 'custom',
        path: ['threshold2'],
        message: `the high limit (${c.threshold2}) is below the low limit (${c.threshold})`,
      });
    }
  });

type ThresholdAlertConfig = z.infer<typeof thresholdAlertConfig>;

interface AlertState {
  key: string;
  /** The raised alert, while there is one. */
  raised: Alert | undefined;
  /** A raise (or clear, when raised) waiting for its delay. */
  timer: NodeJS.Timeout | undefined;
  value: number;
  msg: Msg | undefined;
}

/** Back-filled or resumed data describes the past: it must not raise alerts now. */
const isBackfill = (msg: Msg) => msg['backfill'] === true || msg['resume'] === true;

function createThresholdAlert(ctx: NodeContext, c: ThresholdAlertConfig) {
  const valueOf = compileAccessor(ctx, c.property, c.propertyType);
  const condition: Condition = { op: c.op, threshold: c.threshold, threshold2: c.threshold2, hysteresis: c.hysteresis };
  const conditionText = describeCondition(condition);
  const onMs = toMs(c.onDelay, c.units);
  const offMs = toMs(c.offDelay, c.units);
  let active = 0;
  const { keyOf, keys } = keyedSetup<AlertState>(ctx, c, {
    onEvict(key, st) {
      ctx.timers.clearTimeout(st.timer);
      if (st.raised) {
        active--;
        ctx.warn(
          `threshold alert ${ctx.id}: key "${key}" was evicted (max keys ${c.maxKeys}) while alert ${st.raised.id} was raised; it will not be cleared here`,
        );
      }
    },
    status: () => (active ? `${active} raised` : ''),
  });

  const offer = (alert: Alert) => {
    const sink = ctx.service(alertSinkKey);
    if (!sink) return;
    try {
      const r = alert.state === 'raised' ? sink.raise(alert) : sink.clear(alert);
      if (r)
        r.catch((err: unknown) =>
          ctx.error(new Error(`alert sink rejected ${alert.state} ${alert.id}: ${String(err)}`)),
        );
    } catch (err) {
      ctx.error(new Error(`alert sink failed on ${alert.state} ${alert.id}: ${String(err)}`));
    }
  };

  const publish = (st: AlertState, state: Alert['state']) => {
    const time = Date.now();
    const id = state === 'raised' ? generateId() : (st.raised as Alert).id;
    const message = Mustache.render(
      c.template,
      { msg: st.msg, value: st.value, key: st.key, state, severity: c.severity, condition: conditionText },
      {},
      { escape: (s: unknown) => String(s) },
    );
    const alert: Alert = {
      id,
      source: ctx.id,
      key: st.key,
      state,
      severity: c.severity,
      message,
      value: st.value,
      time,
    };
    st.raised = state === 'raised' ? alert : undefined;
    active += state === 'raised' ? 1 : -1;
    ctx.send({ _msgid: '', topic: st.key, payload: message, alert } as Msg);
    offer(alert);
  };

  const schedule = (st: AlertState, state: Alert['state'], ms: number) => {
    if (ms === 0) return publish(st, state);
    st.timer ??= ctx.timers.setTimeout(() => {
      st.timer = undefined;
      publish(st, state);
    }, ms);
  };
  const cancel = (st: AlertState) => {
    ctx.timers.clearTimeout(st.timer);
    st.timer = undefined;
  };
  const newState = (key: string): AlertState => ({
    key,
    raised: undefined,
    timer: undefined,
    value: NaN,
    msg: undefined,
  });

  return {
    input(msg: Msg, _send: unknown, done: Done) {
      if (isBackfill(msg)) return done();
      const raw = valueOf(msg);
      const v = toNumber(raw);
      const key = keyOf(msg);
      if (Number.isNaN(v))
        return done(new Error(`threshold alert ${ctx.id}: value of key "${key}" is not a number (${String(raw)})`));
      const st = keys.use(key, newState);
      st.value = v;
      st.msg = msg;
      if (!st.raised) {
        if (raises(condition, v)) schedule(st, 'raised', onMs);
        else cancel(st);
      } else if (clears(condition, v)) schedule(st, 'cleared', offMs);
      else cancel(st);
      done();
    },
  };
}

export const thresholdAlertNode = defineNode({
  type: 'threshold alert',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 1,
  label: 'threshold alert',
  paletteLabel: 'threshold alert',
  icon: 'font-awesome/fa-bell',
  color: '#f3b567',
  config: thresholdAlertConfig,
  help: `Raises and clears alerts per key when a value crosses a limit.

**Condition**: \`> >= < <= == !=\`, *between* or *outside* two limits, on *property* (default
\`msg.payload\`). **Hysteresis**: a raised alert clears only once the value is back past the limit by
this much (for \`==\`/\`!=\`, it is the tolerance). **On delay**: the condition must hold that long
before raising; **off delay**: the clear condition must hold that long before clearing.

**Output**: one message per raise or clear, \`msg.alert = {id, source, key, state: 'raised' | 'cleared',
severity, message, value, time}\` (a clear carries the id of its raise), \`msg.payload\` the message
rendered from the mustache *template* with \`msg\`, \`value\`, \`key\`, \`state\`, \`severity\` and
\`condition\`. When the host provides an alert service, alerts go to it as well.

Back-filled data (\`msg.backfill === true\` or \`msg.resume === true\`) is ignored: it never raises,
clears or starts a delay. Keys: \`msg.topic\` unless set otherwise, at most *max keys*; an evicted key
forgets its raised alert (a warning says so).`,
  create: (ctx, config) => createThresholdAlert(ctx, config),
});
