import { cloneMessage, generateId, type NodeContext, type NodeHandlers } from '@gridflow/runtime';
import { hasOwn, messageBufferLimit, readParts, type HeldMessage, type MsgParts } from '../../shared/sequence.js';
import type { BatchConfig } from './batch-config.js';

/** Marks the messages as one sequence (id of the first message) and sends them; copies when asked. */
export function sendSequence(held: HeldMessage[], copy: boolean): void {
  const id = held[0]?.msg._msgid;
  held.forEach((h, i) => {
    const msg = copy ? cloneMessage(h.msg) : h.msg;
    if (!hasOwn(msg, 'parts')) msg['parts'] = {};
    const parts = readParts(msg) ?? ({} as MsgParts);
    parts.id = id as string;
    parts.index = i;
    parts.count = held.length;
    h.send(msg);
  });
}

// Node-RED reports these as plain strings, so the caught error.message has no "Error: " prefix.
export const tooMany = () => 'too many pending messages in batch node';

export function createCountBatch(ctx: NodeContext, c: BatchConfig): NodeHandlers {
  let pending: HeldMessage[] = [];
  let eof = false;
  const dropAll = (failing?: HeldMessage) => {
    for (const h of pending) h.done(h === failing ? tooMany() : undefined);
    pending = [];
  };
  return {
    input(msg, send, done) {
      if (hasOwn(msg, 'reset')) {
        dropAll();
        done();
        return;
      }
      const parts = readParts(msg);
      if (c.honourParts && parts && (parts.index ?? NaN) + 1 === parts.count) eof = true;
      pending.push({ msg, send, done });
      if (pending.length === c.count || eof) {
        sendSequence(pending, c.overlap > 0);
        pending.slice(0, pending.length - c.overlap).forEach((h) => h.done());
        pending = c.overlap === 0 ? [] : pending.slice(-c.overlap);
        eof = false;
      }
      // Overlapped messages carried into the next group do not count towards the limit, as in Node-RED.
      const limit = messageBufferLimit(ctx);
      if (limit > 0 && pending.length > limit) dropAll(pending[pending.length - 1]);
    },
    close() {
      dropAll();
    },
  };
}

export function createIntervalBatch(ctx: NodeContext, c: BatchConfig): NodeHandlers {
  const ms = c.interval * 1000;
  let pending: HeldMessage[] = [];
  const flush = () => {
    if (pending.length > 0) {
      const group = pending;
      pending = [];
      sendSequence(group, false);
      group.forEach((h) => h.done());
    } else if (c.allowEmptySequence) {
      ctx.send({ _msgid: generateId(), payload: null, parts: { id: generateId(), index: 0, count: 1 } });
    }
  };
  const start = () => (ms > 0 ? ctx.timers.setInterval(flush, ms) : undefined);
  let timer = start();
  const dropAll = (failing?: HeldMessage) => {
    for (const h of pending) h.done(h === failing ? tooMany() : undefined);
    pending = [];
  };
  return {
    input(msg, send, done) {
      if (hasOwn(msg, 'reset')) {
        ctx.timers.clearInterval(timer);
        dropAll();
        done();
        timer = start();
        return;
      }
      pending.push({ msg, send, done });
      const limit = messageBufferLimit(ctx);
      if (limit > 0 && pending.length > limit) dropAll(pending[pending.length - 1]);
    },
    close() {
      ctx.timers.clearInterval(timer);
      dropAll();
    },
  };
}
