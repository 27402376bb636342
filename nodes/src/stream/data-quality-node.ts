import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext } from '@gridflow/runtime';
import { keyedSetup } from './keyed-node.js';
import { compileAccessor, compileMsgPath, toNumber, toTime } from './message-access.js';
import { keyFields, nonNegative, valueFields, whole } from './stream-config.js';
import { timeUnitSchema, toMs } from './time-units.js';

const optionalNumber = z.preprocess(
  (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v),
  z.number().optional(),
);

const dataQualityConfig = z
  .object({
    name: z.string().default(''),
    ...valueFields,
    /** Range check: values below `min` or above `max` are bad (blank: no limit). */
    min: optionalNumber,
    max: optionalNumber,
    /** Spike filter: a change faster than this many units per second is bad (blank: off). */
    maxRate: optionalNumber,
    /** After this many spikes in a row the new level is accepted (as uncertain). */
    spikeReset: whole(3),
    /** Stale detection: a key that sends nothing for this long is reported bad once (0: off). */
    staleAfter: nonNegative(0),
    units: timeUnitSchema.default('seconds'),
    /** Where the time of a value is; blank: arrival time. */
    timeProperty: z.string().default(''),
    /** Bad messages: tagged on the first output, sent to the second output, or dropped. */
    bad: z.enum(['tag', 'second', 'drop']).default('tag'),
    ...keyFields,
  })
  .superRefine((c, issue) => {
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      issue.addIssue({ code: 'custom', path: ['max'], message: `max (${c.max}) is below min (${c.min})` });
    if (c.maxRate !== undefined && c.maxRate <= 0)
      issue.addIssue({ code: 'custom', path: ['maxRate'], message: 'max rate must be above 0' });
  });

type DataQualityConfig = z.infer<typeof dataQualityConfig>;

export type Quality = 'good' | 'bad' | 'uncertain';

/** Why a value is not good; stable codes for downstream filters. */
export type QualityReason =
  | 'not-a-number'
  | 'out-of-range'
  | 'spike'
  | 'stale'
  | 'resumed-after-stale'
  | 'time-not-increasing'
  | 'new-level'
  | 'upstream-bad'
  | 'upstream-uncertain';

interface PointState {
  key: string;
  /** The last value accepted as a reference for the spike filter. */
  ref: number;
  refTime: number;
  spikes: number;
  lastSeen: number;
  lastMsg: Msg | undefined;
  stale: boolean;
  timer: NodeJS.Timeout | undefined;
}

const BAD_REASONS: ReadonlySet<QualityReason> = new Set([
  'not-a-number',
  'out-of-range',
  'spike',
  'stale',
  'upstream-bad',
]);

function createDataQuality(ctx: NodeContext, c: DataQualityConfig) {
  const valueOf = compileAccessor(ctx, c.property, c.propertyType);
  const timeOf = c.timeProperty ? compileMsgPath(c.timeProperty) : undefined;
  const staleMs = toMs(c.staleAfter, c.units);
  const { keyOf, keys } = keyedSetup<PointState>(ctx, c, { onEvict: (_k, st) => ctx.timers.clearTimeout(st.timer) });

  const deliver = (msg: Msg, quality: Quality) => {
    if (quality !== 'bad' || c.bad === 'tag') ctx.send(msg);
    else if (c.bad === 'second') ctx.send([null, msg]);
  };

  const checkStale = (st: PointState) => {
    st.timer = undefined;
    const idle = Date.now() - st.lastSeen;
    if (idle < staleMs) {
      st.timer = ctx.timers.setTimeout(() => checkStale(st), staleMs - idle);
      return;
    }
    st.stale = true;
    const last = st.lastMsg;
    deliver(
      {
        _msgid: '',
        topic: last?.topic ?? st.key,
        payload: last ? valueOf(last) : undefined,
        quality: 'bad',
        qualityReasons: ['stale'],
        stale: { key: st.key, lastSeen: st.lastSeen, after: staleMs },
      } as Msg,
      'bad',
    );
  };

  const newState = (key: string): PointState => ({
    key,
    ref: NaN,
    refTime: NaN,
    spikes: 0,
    lastSeen: 0,
    lastMsg: undefined,
    stale: false,
    timer: undefined,
  });

  return {
    input(msg: Msg, _send: unknown, done: Done) {
      const key = keyOf(msg);
      const st = keys.use(key, newState);
      const now = Date.now();
      const reasons: QualityReason[] = [];
      if (msg['quality'] === 'bad') reasons.push('upstream-bad');
      else if (msg['quality'] === 'uncertain') reasons.push('upstream-uncertain');
      if (st.stale) {
        reasons.push('resumed-after-stale');
        st.stale = false;
      }
      const x = toNumber(valueOf(msg));
      const t = timeOf ? toTime(timeOf(msg)) : now;
      if (!Number.isFinite(x)) reasons.push('not-a-number');
      else {
        if ((c.min !== undefined && x < c.min) || (c.max !== undefined && x > c.max)) reasons.push('out-of-range');
        if (c.maxRate !== undefined && !Number.isNaN(st.ref)) {
          const dt = (t - st.refTime) / 1000;
          if (!(dt > 0)) reasons.push('time-not-increasing');
          else if (Math.abs(x - st.ref) / dt > c.maxRate) {
            if (++st.spikes >= c.spikeReset) reasons.push('new-level');
            else reasons.push('spike');
          }
        }
        const spike = reasons.includes('spike');
        if (!spike) st.spikes = 0;
        // A spike must not become the reference, or the value after it would look like one too.
        if (!spike && !reasons.includes('out-of-range') && Number.isFinite(t)) {
          st.ref = x;
          st.refTime = t;
        }
      }
      st.lastSeen = now;
      st.lastMsg = msg;
      if (staleMs > 0 && !st.timer) st.timer = ctx.timers.setTimeout(() => checkStale(st), staleMs);

      const quality: Quality = reasons.some((r) => BAD_REASONS.has(r)) ? 'bad' : reasons.length ? 'uncertain' : 'good';
      msg['quality'] = quality;
      msg['qualityReasons'] = reasons;
      deliver(msg, quality);
      done();
    },
  };
}

export const dataQualityNode = defineNode({
  type: 'data quality',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 2,
  outputLabels: ['checked values', 'bad values'],
  label: 'data quality',
  paletteLabel: 'data quality',
  icon: 'font-awesome/fa-check-square-o',
  color: '#9fd3c7',
  config: dataQualityConfig,
  help: `Checks each value per key and tags the message: \`msg.quality\` is \`good\`, \`bad\` or
\`uncertain\`, \`msg.qualityReasons\` lists why.

- **bad**: \`not-a-number\`, \`out-of-range\` (outside *min*/*max*), \`spike\` (changed faster than
  *max rate* units per second against the last good value), \`stale\`, \`upstream-bad\`.
- **uncertain**: \`resumed-after-stale\`, \`time-not-increasing\` (the spike check could not run),
  \`new-level\` (the *spike reset*-th spike in a row: the signal really moved), \`upstream-uncertain\`.

**Stale**: when a key sends nothing for *stale after*, one message is sent for it with
\`quality: 'bad'\`, \`qualityReasons: ['stale']\`, its last value and \`msg.stale = {key, lastSeen, after}\`.

**Bad messages** are tagged on the first output, sent to the second, or dropped. Time is the arrival
time unless *time property* names one. Keys: \`msg.topic\` unless set otherwise, at most *max keys*.`,
  create: (ctx, config) => createDataQuality(ctx, config),
});
