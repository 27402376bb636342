import mustache from 'mustache';
import {
  cloneMessage,
  cloneValue,
  defineNode,
  type Msg,
  type NodeContext,
  type NodeStatus,
  type Send,
} from '@gridflow/runtime';
import { nodeShim, nrUtil } from '../../shared/node-red-util.js';
import { getMsgProperty, hasOwn, type HeldMessage } from '../../shared/sequence.js';
import { normaliseOp, triggerConfig, triggerTiming, type TriggerOp } from './trigger-config.js';

/** One trigger in progress (per topic, or '_none' for all). */
interface Armed {
  /** The wait or resend timer; 0 while waiting to be reset (duration 0). */
  tout?: NodeJS.Timeout | 0;
  /** The second payload, worked out when the trigger fired. */
  m2?: unknown;
}

function evaluateOp(ctx: NodeContext, op: TriggerOp, msg: Msg): Promise<unknown> {
  if (op.type === 'null') return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    try {
      nrUtil.evaluateNodeProperty(op.value, op.type, nodeShim(ctx), msg, (err, value) =>
        err ? reject(err) : resolve(value),
      );
    } catch (err) {
      reject(err);
    }
  });
}

function topicStatus(count: number): NodeStatus {
  if (count === 0) return {};
  if (count === 1) return { fill: 'blue', shape: 'dot' };
  return { fill: 'blue', shape: 'dot', text: String(count) };
}

export const triggerNode = defineNode({
  type: 'trigger',
  category: 'core',
  inputs: 1,
  outputs: (raw) => (Number(raw['outputs']) === 2 ? 2 : 1),
  config: triggerConfig,
  label: 'trigger',
  icon: 'trigger.svg',
  color: '#E6E0F8',
  help: `When triggered, sends a message, then optionally a second one after a wait, unless extended or reset.

By default it sends \`payload\` 1, waits 250 ms, then sends \`payload\` 0. Either message can be nothing,
a value (strings support mustache \`{{payload}}\`), the original or the latest payload. The node can
instead **wait to be reset**, or **resend** the first message every interval until reset. With *extend*,
each new message restarts the wait: with nothing as the first message it works as a watchdog.

**Inputs**: \`reset\` (or a payload equal to the configured reset value) clears the timer without
sending; \`delay\` (ms) sets the wait when allowed. Triggers can be kept per \`msg.topic\` (or another property).`,
  create(ctx, c) {
    const op1 = normaliseOp(c.op1, c.op1type, '1');
    const op2 = normaliseOp(c.op2, c.op2type, '0');
    const { durationMs, loop, extend } = triggerTiming(c);
    const second = c.outputs === 2;
    const topics = new Map<string, Armed>();
    const latest = new Map<string, Msg>();
    let chain: Promise<void> = Promise.resolve();

    const status = () => ctx.status(topicStatus(topics.size));
    const clearArmed = (armed: Armed | undefined) => {
      if (!armed?.tout) return;
      if (loop) ctx.timers.clearInterval(armed.tout);
      else ctx.timers.clearTimeout(armed.tout);
    };
    const sendSecond = (send: Send, msg: Msg | null) => send(second ? [null, msg] : msg);
    const later = (fn: () => Promise<void>, ms: number) =>
      ctx.timers.setTimeout(() => {
        fn().catch((err: unknown) => ctx.error(err));
      }, ms);

    function armWait(topic: string, armed: Armed, msg: Msg, send: Send, ms: number): NodeJS.Timeout {
      return later(async () => {
        if (op2.type !== 'nul') {
          const msg2 = cloneMessage(msg);
          if (op2.type === 'flow' || op2.type === 'global' || op2.type === 'date')
            armed.m2 = await evaluateOp(ctx, op2, msg);
          if (op2.type === 'payl') {
            sendSecond(send, latest.get(topic) ?? null);
            latest.delete(topic);
          } else {
            msg2.payload = armed.m2;
            sendSecond(send, msg2);
          }
        }
        topics.delete(topic);
        status();
      }, ms);
    }

    function armExtended(topic: string, armed: Armed, msg: Msg, send: Send, ms: number): NodeJS.Timeout {
      return later(async () => {
        let msg2: Msg | null = null;
        if (op2.type === 'flow' || op2.type === 'global') armed.m2 = await evaluateOp(ctx, op2, msg);
        if (op2.type !== 'nul' && topics.has(topic)) {
          msg2 = cloneMessage(msg);
          msg2.payload = armed.m2;
        }
        topics.delete(topic);
        latest.delete(topic);
        status();
        sendSecond(send, msg2);
      }, ms);
    }

    async function fire(held: HeldMessage, topic: string, armed: Armed, wait: number): Promise<void> {
      const { msg, send } = held;
      if (op2.type === 'pay') armed.m2 = cloneValue(msg.payload);
      else if (op2.templated) armed.m2 = mustache.render(op2.value ?? '', msg);
      else if (op2.type !== 'nul') armed.m2 = await evaluateOp(ctx, op2, msg);

      if (op1.templated) msg.payload = mustache.render(op1.value ?? '', msg);
      else if (op1.type !== 'pay' && op1.type !== 'nul') msg.payload = await evaluateOp(ctx, op1, msg);

      if (wait === 0) armed.tout = 0;
      else if (loop) {
        if (armed.tout) ctx.timers.clearInterval(armed.tout);
        if (op1.type !== 'nul') {
          const msg2 = cloneMessage(msg);
          armed.tout = ctx.timers.setInterval(() => {
            if (op1.type === 'date') msg2.payload = Date.now();
            send(cloneMessage(msg2));
          }, wait);
        }
      } else if (!armed.tout) {
        armed.tout = armWait(topic, armed, msg, send, wait);
      }
      held.done();
      status();
      if (op1.type !== 'nul') send(cloneMessage(msg));
    }

    async function processMessage(held: HeldMessage): Promise<void> {
      const { msg } = held;
      let topic = String(getMsgProperty(msg, c.topic) || '_none');
      let wait = durationMs;
      const asked = parseFloat(String(msg['delay']));
      if (c.overrideDelay && hasOwn(msg, 'delay') && !Number.isNaN(asked)) wait = asked;
      if (c.bytopic === 'all') topic = '_none';
      let armed = topics.get(topic);
      if (!armed) topics.set(topic, (armed = {}));

      const payload = msg.payload as { toString?: () => string } | null | undefined;
      const resetByPayload =
        c.reset !== '' &&
        hasOwn(msg, 'payload') &&
        payload !== null &&
        payload !== undefined &&
        typeof payload.toString === 'function' &&
        payload.toString() === c.reset;
      if (hasOwn(msg, 'reset') || resetByPayload) {
        clearArmed(armed);
        topics.delete(topic);
        latest.delete(topic);
        status();
      } else {
        if (op2.type === 'payl') latest.set(topic, cloneMessage(msg));
        if ((!armed.tout && armed.tout !== 0) || loop) {
          await fire(held, topic, armed, wait);
          return;
        }
        if (extend && wait > 0) {
          if (op2.type === 'payl') armed.m2 = cloneValue(msg.payload);
          clearArmed(armed);
          armed.tout = armExtended(topic, armed, msg, held.send, wait);
        }
      }
      held.done();
    }

    return {
      input(msg, send, done) {
        const held: HeldMessage = { msg, send, done };
        // One message at a time, in arrival order: evaluating a payload may wait on a context store.
        chain = chain.then(() => processMessage(held).catch((err: unknown) => done(err)));
      },
      close() {
        for (const armed of topics.values()) clearArmed(armed);
        topics.clear();
        latest.clear();
        status();
      },
    };
  },
});
