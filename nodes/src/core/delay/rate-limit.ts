import { cloneMessage, type Msg, type NodeContext, type NodeHandlers } from '@gridflow/runtime';
import { hasOwn, messageBufferLimit, type HeldMessage } from '../../shared/sequence.js';
import { rateIntervalMs, type DelayConfig } from './delay-config.js';

/** Status updates for the queue depth, at most every 500 ms as in Node-RED. */
export function depthReporter(ctx: NodeContext, depth: () => number) {
  let busy: NodeJS.Timeout | undefined;
  return {
    report() {
      busy ??= ctx.timers.setTimeout(() => {
        busy = undefined;
        ctx.status({ fill: 'blue', shape: 'dot', text: String(depth()) });
      }, 500);
    },
    stop() {
      ctx.timers.clearTimeout(busy);
      busy = undefined;
    },
  };
}

/** msg.rate (ms) when the node allows it to override the configured rate. */
export function rateOverride(c: DelayConfig, msg: Msg): number | undefined {
  if (!c.allowrate || !hasOwn(msg, 'rate')) return undefined;
  const r = parseFloat(String(msg['rate']));
  return Number.isNaN(r) ? undefined : r;
}

const meaningful = (msg: Msg, minKeys: number) => Object.keys(msg).length > minKeys;

/** Rate limit for all messages (`pauseType: 'rate'`): queue them and release one per interval, or drop. */
export function createRateLimit(ctx: NodeContext, c: DelayConfig): NodeHandlers {
  const fixedRate = rateIntervalMs(c);
  let rate = fixedRate;
  let buffer: HeldMessage[] = [];
  let interval: NodeJS.Timeout | undefined;
  let lastSent: number | undefined;
  const depth = depthReporter(ctx, () => buffer.length);

  const stopInterval = () => {
    ctx.timers.clearInterval(interval);
    interval = undefined;
  };
  const startInterval = () => {
    ctx.timers.clearInterval(interval);
    interval = ctx.timers.setInterval(releaseOne, rate);
  };
  const dropAll = () => {
    const dropped = buffer;
    buffer = [];
    for (const held of dropped) held.done();
  };

  function releaseOne(): void {
    if (buffer.length === 0) stopInterval();
    const held = buffer.shift();
    if (held) {
      if (meaningful(held.msg, 1)) held.send(held.msg);
      held.done();
    }
    depth.report();
  }

  function queueInput(msg: Msg, held: HeldMessage): void {
    const m = cloneMessage(msg);
    delete m['flush'];
    const own: HeldMessage = { ...held, msg: m };
    if (meaningful(m, 1)) {
      const asked = rateOverride(c, m);
      if (interval !== undefined) {
        if (asked !== undefined && asked !== rate) {
          rate = asked;
          startInterval();
        }
        const limit = messageBufferLimit(ctx);
        if (limit > 0 && buffer.length >= limit) {
          dropAll();
          ctx.error('too many pending messages in delay node', m);
        } else if (msg['toFront'] === true) {
          buffer.unshift(own);
          depth.report();
        } else {
          buffer.push(own);
          depth.report();
        }
      } else {
        // Idle: the message goes straight through and opens the interval.
        if (asked !== undefined) rate = asked;
        if (hasOwn(msg, 'reset')) {
          if (hasOwn(msg, 'flush')) buffer.push(own);
        } else held.send(m);
        depth.report();
        startInterval();
        held.done();
      }
    }
    if (hasOwn(msg, 'flush')) {
      const f = msg['flush'];
      let n = typeof f === 'number' ? Math.min(Math.floor(f), buffer.length) : buffer.length;
      if (n <= 0) stopInterval();
      else {
        for (; n > 0; n--) {
          const next = buffer.shift() as HeldMessage;
          delete next.msg['flush'];
          delete next.msg['reset'];
          if (meaningful(next.msg, 1)) next.send(next.msg);
          next.done();
        }
        startInterval();
      }
      ctx.status({ fill: 'blue', shape: 'dot', text: String(buffer.length) });
      held.done();
    }
  }

  function dropInput(msg: Msg, held: HeldMessage): void {
    const asked = rateOverride(c, msg);
    if (asked !== undefined) rate = asked;
    const now = performance.now();
    if (lastSent === undefined || now - lastSent > rate) {
      lastSent = now;
      held.send(msg);
    } else if (c.outputs === 2) held.send([null, msg]);
    held.done();
  }

  return {
    input(msg, send, done) {
      const held: HeldMessage = { msg, send, done };
      if (!c.drop) queueInput(msg, held);
      else if (!hasOwn(msg, 'reset')) dropInput(msg, held);
      if (hasOwn(msg, 'reset')) {
        if (msg['flush'] === undefined) {
          stopInterval();
          lastSent = undefined;
        }
        dropAll();
        rate = fixedRate;
        ctx.status({ fill: 'blue', shape: 'ring', text: '0' });
        done();
      }
    },
    close() {
      stopInterval();
      depth.stop();
      dropAll();
      ctx.status({});
    },
  };
}
