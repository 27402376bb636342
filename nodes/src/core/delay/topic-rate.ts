import type { NodeContext, NodeHandlers } from '@gridflow/runtime';
import { hasOwn, type HeldMessage } from '../../shared/sequence.js';
import { rateIntervalMs, type DelayConfig } from './delay-config.js';
import { depthReporter, rateOverride } from './rate-limit.js';

/**
 * Rate limit per msg.topic: only the latest message of each topic is kept. Each interval releases
 * the oldest topic (`queue`, a fair queue) or every topic (`timed`). Held state is bounded by the
 * number of topics and drains every interval.
 */
export function createTopicRate(ctx: NodeContext, c: DelayConfig): NodeHandlers {
  const fixedRate = rateIntervalMs(c);
  let rate = fixedRate;
  const buffer: HeldMessage[] = [];
  const depth = depthReporter(ctx, () => buffer.length);

  const release = (held: HeldMessage) => {
    held.send(held.msg);
    held.done();
  };
  const tick = () => {
    if (c.pauseType === 'queue') {
      const next = buffer.shift();
      if (next) release(next);
    } else {
      while (buffer.length) release(buffer.shift() as HeldMessage);
    }
    depth.report();
  };
  let interval = ctx.timers.setInterval(tick, rate);
  const setRate = (ms: number) => {
    if (ms === rate) return;
    rate = ms;
    ctx.timers.clearInterval(interval);
    interval = ctx.timers.setInterval(tick, rate);
  };

  return {
    input(msg, send, done) {
      const asked = rateOverride(c, msg);
      if (asked !== undefined) setRate(asked);
      if (!hasOwn(msg, 'topic')) msg.topic = '_none_';
      const i = buffer.findIndex((held) => held.msg.topic === msg.topic);
      if (i !== -1) {
        const replaced = buffer[i] as HeldMessage;
        if (c.outputs === 2) send([null, replaced.msg]);
        replaced.done();
        buffer[i] = { msg, send, done };
      } else {
        buffer.push({ msg, send, done });
        depth.report();
      }
      if (hasOwn(msg, 'flush')) {
        const f = msg['flush'];
        let n = typeof f === 'number' ? Math.min(Math.floor(f), buffer.length) : buffer.length;
        for (; n > 0; n--) {
          const next = buffer.shift() as HeldMessage;
          delete next.msg['flush'];
          delete next.msg['reset'];
          // A bare {flush} (with the topic added above) is a command, not a message to pass on.
          if (Object.keys(next.msg).length > 2) next.send(next.msg);
          next.done();
        }
        ctx.status({});
        done();
      }
      if (hasOwn(msg, 'reset')) {
        while (buffer.length) (buffer.shift() as HeldMessage).done();
        setRate(fixedRate);
        ctx.status({ text: 'reset' });
        done();
      }
    },
    close() {
      ctx.timers.clearInterval(interval);
      depth.stop();
      while (buffer.length) (buffer.shift() as HeldMessage).done();
      ctx.status({});
    },
  };
}
