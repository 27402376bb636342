import { z } from 'zod';
import { defineNode, type Msg, type NodeContext, type Send } from '@gridflow/runtime';
import { createKeyedState } from './keyed-state.js';
import { compileAccessor, compileMsgPath, keyString, toTime } from './message-access.js';
import { boolFlag, keyFields, nonNegative, reportKeyStatus, whole } from './stream-config.js';
import { timeUnitSchema, toMs } from './time-units.js';
import {
  createCountWindows,
  createTimeWindows,
  newCountKeyState,
  newTimeKeyState,
  type TimeKeyState,
  type WindowEmit,
} from './window-engine.js';

const positive = (fallback: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? fallback : typeof v === 'string' ? Number(v) : v),
    z.number().positive(),
  );

const windowConfig = z
  .object({
    name: z.string().default(''),
    kind: z.enum(['tumbling', 'sliding']).default('tumbling'),
    by: z.enum(['time', 'count']).default('time'),
    /** Window length: a duration in `units`, or a message count. */
    size: positive(60),
    /** How far a sliding window moves each time; blank means `size` (tumbling). */
    slide: z.preprocess(
      (v) => (v === '' || v === null ? undefined : typeof v === 'string' ? Number(v) : v),
      z.number().positive().optional(),
    ),
    units: timeUnitSchema.default('seconds'),
    /** Arrival time (the clock when a message arrives) or event time (a time in the message). */
    time: z.enum(['arrival', 'event']).default('arrival'),
    /** Event time property: epoch ms, a Date or an ISO string. */
    timeProperty: z.string().default('timestamp'),
    /** Event time: how far behind the newest event time a window stays open for stragglers. */
    lateness: nonNegative(0),
    /** Event time: fire a key's open windows when nothing arrived for it this long (0: never). */
    idleTimeout: nonNegative(0),
    emitEmpty: boolFlag(false),
    maxEmpty: whole(10, 1),
    ...keyFields,
  })
  .superRefine((c, issue) => {
    if (c.by === 'count' && !Number.isInteger(c.size))
      issue.addIssue({ code: 'custom', path: ['size'], message: 'a count window size must be a whole number' });
    if (c.kind === 'sliding') {
      if (c.slide === undefined)
        issue.addIssue({ code: 'custom', path: ['slide'], message: 'a sliding window needs a slide' });
      else if (c.slide > c.size)
        issue.addIssue({
          code: 'custom',
          path: ['slide'],
          message: `slide (${c.slide}) must not exceed size (${c.size})`,
        });
      else if (c.by === 'count' && !Number.isInteger(c.slide))
        issue.addIssue({ code: 'custom', path: ['slide'], message: 'a count window slide must be a whole number' });
    }
  });

export type WindowConfig = z.infer<typeof windowConfig>;

/** What a window message carries besides the messages themselves (msg.payload). */
export interface WindowMeta {
  key: string;
  start: number;
  end: number;
  count: number;
}

function windowMessage(w: WindowEmit): Msg {
  const last = w.msgs[w.msgs.length - 1];
  const meta: WindowMeta = { key: w.key, start: w.start, end: w.end, count: w.msgs.length };
  return { _msgid: '', topic: last?.topic ?? w.key, payload: w.msgs, window: meta } as Msg;
}

function createWindow(ctx: NodeContext, c: WindowConfig) {
  const keyOf = compileAccessor(ctx, c.key, c.keyType);
  const slide = c.kind === 'tumbling' ? c.size : (c.slide ?? c.size);
  // Timers fire windows too, so every window leaves through ctx.send; send() gives it an id.
  const emit = (w: WindowEmit) => ctx.send(windowMessage(w));

  if (c.by === 'count') {
    const windows = createCountWindows(c.size, slide);
    const keys = createKeyedState<ReturnType<typeof newCountKeyState>>({ maxKeys: c.maxKeys });
    const eventTime = c.time === 'event' ? compileMsgPath(c.timeProperty) : undefined;
    reportKeyStatus(ctx, keys);
    return {
      input(msg: Msg) {
        const key = keyString(keyOf(msg));
        const t = eventTime ? toTime(eventTime(msg)) : NaN;
        const time = Number.isFinite(t) ? t : Date.now(); // count windows only report times
        windows.add(keys.use(key, newCountKeyState), time, msg, emit);
      },
      close() {
        keys.clear();
      },
    };
  }

  const sizeMs = toMs(c.size, c.units);
  const slideMs = toMs(slide, c.units);
  const latenessMs = toMs(c.lateness, c.units);
  const idleMs = toMs(c.idleTimeout, c.units);
  const windows = createTimeWindows({ size: sizeMs, slide: slideMs, emitEmpty: c.emitEmpty, maxEmpty: c.maxEmpty });
  const keys = createKeyedState<TimeKeyState>({ maxKeys: c.maxKeys });
  let late = 0;
  reportKeyStatus(ctx, keys, () => (late ? `${late} late` : ''));

  if (c.time === 'arrival') {
    // Windows are aligned, so one timer at each boundary fires every key's window.
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      const now = Date.now();
      for (const [key, st] of keys.entries()) {
        windows.fire(st, now, emit);
        if (windows.isIdle(st)) keys.delete(key);
      }
      timer = ctx.timers.setTimeout(tick, Math.max(1, windows.nextBoundary(now) - now));
    };
    const now = Date.now();
    timer = ctx.timers.setTimeout(tick, Math.max(1, windows.nextBoundary(now) - now));
    return {
      input(msg: Msg) {
        const key = keyString(keyOf(msg));
        const st = keys.use(key, newTimeKeyState);
        // Never behind the key's own latest time, so a clock step back cannot make data late.
        const t = Date.now();
        windows.add(st, t > st.maxTime ? t : st.maxTime, msg);
      },
      close() {
        ctx.timers.clearTimeout(timer);
        keys.clear();
      },
    };
  }

  const timeOf = compileMsgPath(c.timeProperty);
  if (idleMs > 0) {
    ctx.timers.setInterval(
      () => {
        const now = Date.now();
        // Least recently used first: stop at the first key that is still active.
        for (const [, st] of keys.entries()) {
          if (now - st.lastArrival < idleMs) break;
          windows.fire(st, Infinity, emit);
        }
      },
      Math.max(10, Math.min(idleMs / 4, 1000)),
    );
  }
  return {
    input(msg: Msg, send: Send, done: (err?: unknown) => void) {
      const key = keyString(keyOf(msg));
      const time = toTime(timeOf(msg));
      if (!Number.isFinite(time)) {
        done(
          new Error(`window ${ctx.id}: msg.${c.timeProperty} of key "${key}" is not a time (${String(timeOf(msg))})`),
        );
        return;
      }
      const st = keys.use(key, newTimeKeyState);
      st.lastArrival = Date.now();
      if (!windows.add(st, time, msg)) {
        late++;
        msg['window'] = { key, late: true, watermark: st.maxTime - latenessMs };
        send([null, msg]);
      } else {
        windows.fire(st, st.maxTime - latenessMs, emit);
      }
      done();
    },
    close() {
      keys.clear();
    },
  };
}

export const windowNode = defineNode({
  type: 'window',
  version: 1,
  category: 'stream',
  inputs: 1,
  outputs: 2,
  outputLabels: ['windows', 'late messages'],
  label: 'window',
  paletteLabel: 'window',
  icon: 'font-awesome/fa-columns',
  color: '#9fd3c7',
  config: windowConfig,
  help: `Groups messages per key into windows and sends each window as one message.

**Windows**: *tumbling* (back to back) or *sliding* (size, moving by slide), *by time* or *by count*.
Time windows are aligned to the epoch (a 1 minute window runs from :00 to :00).

**Time**: *arrival* uses the clock when a message arrives; *event* reads a time from the message
(\`timeProperty\`, epoch ms, Date or ISO string). In event time a key's windows fire when its newest
event time minus *lateness* passes their end; a message whose windows have all fired is late and goes
to the second output with \`msg.window.late = true\`. With *idle timeout*, a key that receives nothing
for that long fires its open windows.

**Output**: \`msg.payload\` is the array of messages in the window (oldest first), \`msg.window\` is
\`{key, start, end, count}\` (time windows: end exclusive; count windows: the times of the first and
last message). Messages in overlapping sliding windows are shared: treat them as read-only.
Empty windows are not sent unless *emit empty* is on (then at most *max empty* in a row per key).

**Keys**: by \`msg.topic\` unless set otherwise; at most *max keys* live at once, the least recently
used is dropped with what it buffered, counted in the status.`,
  create: (ctx, config) => createWindow(ctx, config),
});
