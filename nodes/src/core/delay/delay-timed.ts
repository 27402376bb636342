import type { Done, Msg, NodeContext, NodeHandlers, Send } from '@gridflow/runtime';
import { hasOwn } from '../../shared/sequence.js';
import { randomRangeMs, timeoutMs, type DelayConfig } from './delay-config.js';

interface Scheduled {
  timer: NodeJS.Timeout;
  /** Sends now (flush). */
  fire(): void;
  /** Drops without sending (reset, close); the message still completes. */
  cancel(): void;
}

/** A message that is only {_msgid, flush} asks for a flush and is not itself delayed. */
const isBareFlush = (msg: Msg) => Object.keys(msg).length === 2 && hasOwn(msg, 'flush');

/** Delay modes: fixed (`delay`), overridable by msg.delay (`delayv`), and `random`; each message on its own timer. */
export function createTimedDelay(ctx: NodeContext, c: DelayConfig): NodeHandlers {
  const fixedMs = timeoutMs(c);
  const [firstMs, lastMs] = randomRangeMs(c);
  // Node-RED shows the queue length only for long delays (always for msg.delay mode).
  const showCount = c.pauseType === 'delayv' || (c.pauseType === 'delay' ? fixedMs > 1000 : fixedMs >= 1000);
  let pending: Scheduled[] = [];

  const countStatus = () => ctx.status({ fill: 'blue', shape: 'dot', text: String(pending.length) });

  const waitFor = (msg: Msg): number => {
    if (c.pauseType === 'random') return firstMs + (lastMs - firstMs) * Math.random();
    if (c.pauseType === 'delayv') {
      const asked = parseFloat(String(msg['delay']));
      const wait = hasOwn(msg, 'delay') && !Number.isNaN(asked) ? asked : fixedMs;
      return Math.max(wait, 0);
    }
    return fixedMs;
  };

  const schedule = (msg: Msg, send: Send, done: Done): Scheduled => {
    const fire = () => {
      ctx.timers.clearTimeout(entry.timer);
      const i = pending.indexOf(entry);
      if (i !== -1) pending.splice(i, 1);
      if (showCount) countStatus();
      send(msg);
      done();
    };
    const entry: Scheduled = {
      timer: ctx.timers.setTimeout(fire, waitFor(msg)),
      fire,
      cancel: () => {
        ctx.timers.clearTimeout(entry.timer);
        done();
      },
    };
    return entry;
  };

  const clearAll = (afterReset: boolean) => {
    const dropped = pending;
    pending = [];
    for (const entry of dropped) entry.cancel();
    ctx.status(afterReset ? { fill: 'blue', shape: 'ring', text: '0' } : {});
  };

  const flush = (n: unknown) => {
    const count = typeof n === 'number' ? Math.min(Math.floor(n), pending.length) : pending.length;
    for (let i = 0; i < count; i++) pending[0]?.fire();
    countStatus();
  };

  return {
    input(msg, send, done) {
      const entry = schedule(msg, send, done);
      if (isBareFlush(msg)) entry.cancel();
      else pending.push(entry);
      if (hasOwn(msg, 'reset')) clearAll(true);
      else if (hasOwn(msg, 'flush')) {
        flush(msg['flush']);
        done();
      } else if (showCount) countStatus();
    },
    close() {
      clearAll(false);
    },
  };
}
