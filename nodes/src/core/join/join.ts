import { cloneMessage, defineNode, type Done, type Msg, type NodeContext, type Send } from '@gridflow/runtime';
import {
  getMsgProperty,
  hasOwn,
  parseByteArray,
  readParts,
  setMsgProperty,
  unescapeSeparator,
  type MsgParts,
} from '../../shared/sequence.js';
import { joinConfig, type JoinConfig } from './join-config.js';
import { createReducer } from './join-reduce.js';

/** One sequence being assembled, keyed by msg.parts.id (or "_" in manual mode). */
interface Group {
  /** 'object' for object and merged builds; otherwise string, buffer, array or what msg.parts.type said. */
  type: string | undefined;
  items: unknown[];
  object: Record<string, unknown>;
  currentCount: number;
  targetCount: number | undefined;
  msg: Msg;
  send: Send;
  dones: Done[];
  joinChar?: unknown;
  arrayLen?: number;
  bufferLen: number;
  timeout?: NodeJS.Timeout;
  prop: string | undefined;
}

function joinCharText(joinChar: unknown): string {
  if (typeof joinChar === 'string') return joinChar;
  // A byte-array separator (from a binary split) joins as the bytes it stands for.
  if (Array.isArray(joinChar)) return Buffer.from(joinChar as number[]).toString();
  return joinChar === undefined || joinChar === null ? '' : String(joinChar);
}

function bufferResult(group: Group): Buffer {
  if (group.joinChar === undefined) return Buffer.concat(group.items as Buffer[], group.bufferLen);
  const sep = Buffer.isBuffer(group.joinChar) ? group.joinChar : Buffer.from(group.joinChar as string);
  const pieces: Buffer[] = [];
  group.items.forEach((item, i) => {
    if (i > 0) pieces.push(sep);
    pieces.push(Buffer.isBuffer(item) ? item : Buffer.from(item as string));
  });
  return Buffer.concat(pieces);
}

function createJoiner(ctx: NodeContext, c: JoinConfig) {
  const inflight = new Map<string, Group>();
  const timerMs = c.mode === 'auto' ? 0 : c.timeout * 1000;
  const fixedCount = Number(c.count || 0);
  const joiner: string | Buffer =
    c.joinerType === 'bin' ? Buffer.from(parseByteArray(c.joiner || '[]') ?? []) : unescapeSeparator(c.joiner);

  const startTimer = (group: Group, partId: string) => {
    if (timerMs > 0) group.timeout = ctx.timers.setTimeout(() => completeSend(partId), timerMs);
  };

  function completeSend(partId: string): void {
    const group = inflight.get(partId);
    if (!group) return;
    ctx.timers.clearTimeout(group.timeout);
    if (c.mode === 'auto' || !c.accumulate || hasOwn(group.msg, 'complete')) inflight.delete(partId);
    const prop = group.prop || 'payload';
    if (group.type === 'string') {
      setMsgProperty(group.msg, prop, group.items.join(joinCharText(group.joinChar)));
    } else {
      let result: unknown = group.items;
      if (group.type === 'object') result = group.object;
      else if (group.type === 'array' && (group.arrayLen ?? 0) > 1)
        result = group.items.reduce<unknown[]>((a, n) => a.concat(n), []);
      else if (group.type === 'buffer') result = bufferResult(group);
      if (c.propertyType === 'full') group.msg = cloneMessage(group.msg);
      setMsgProperty(group.msg, prop, result);
    }
    const parts = readParts(group.msg);
    if (parts?.parts) group.msg['parts'] = parts.parts;
    else delete group.msg['parts'];
    delete group.msg['complete'];
    group.send(cloneMessage(group.msg));
    for (const d of group.dones) d();
    group.dones = [];
  }

  function dropGroup(partId: string): void {
    const group = inflight.get(partId);
    if (!group) return;
    ctx.timers.clearTimeout(group.timeout);
    for (const d of group.dones) d();
    inflight.delete(partId);
  }

  function input(msg: Msg, send: Send, done: Done): void {
    let property: unknown;
    if (c.propertyType === 'full') property = msg;
    else {
      try {
        property = getMsgProperty(msg, c.property);
      } catch {
        // a path through a missing parent: Node-RED warns and drops the message
        ctx.warn(`Message property ${c.property} not found`);
        done();
        return;
      }
    }
    let parts = readParts(msg);
    if (c.mode === 'auto' && (!parts || !hasOwn(parts, 'id'))) {
      if (hasOwn(msg, 'reset')) [...inflight.keys()].forEach(dropGroup);
      else ctx.warn("Message missing msg.parts property - cannot join in 'auto' mode");
      done();
      return;
    }
    if (c.mode === 'custom' && hasOwn(msg, 'parts') && !c.useparts) {
      if (parts?.parts) msg['parts'] = { parts: parts.parts };
      else delete msg['parts'];
      parts = readParts(msg);
    }

    let partId = '_';
    let payloadType: string | undefined;
    let propertyKey: unknown;
    let targetCount: number | undefined;
    let joinChar: unknown;
    let arrayLen: number | undefined;
    let propertyIndex: number | undefined;
    if (c.mode === 'auto') {
      const p = parts as MsgParts;
      partId = p.id;
      payloadType = p.type;
      targetCount = p.count;
      joinChar = p.ch;
      propertyKey = p.key;
      arrayLen = p.len;
      propertyIndex = p.index;
      property = getMsgProperty(msg, p.property || 'payload');
    } else {
      payloadType = c.build;
      targetCount = fixedCount;
      joinChar = joiner;
      if (c.count === '' && hasOwn(msg, 'parts')) {
        targetCount = parts?.count || 0;
        if (parts && hasOwn(parts, 'id')) partId = parts.id;
      }
      if (c.build === 'object') propertyKey = getMsgProperty(msg, c.key);
    }

    if (hasOwn(msg, 'restartTimeout')) {
      const group = inflight.get(partId);
      if (group) {
        ctx.timers.clearTimeout(group.timeout);
        startTimer(group, partId);
      }
    }
    if (hasOwn(msg, 'reset')) {
      dropGroup(partId);
      done();
      return;
    }
    if (payloadType === 'object' && (propertyKey === null || propertyKey === undefined || propertyKey === '')) {
      if (c.mode === 'auto') ctx.warn("Message missing 'msg.parts.key' property - cannot add to object");
      else if (hasOwn(msg, 'complete')) {
        const group = inflight.get(partId);
        if (group) {
          group.msg['complete'] = msg['complete'];
          group.send = send;
          completeSend(partId);
        }
      } else ctx.warn(`Message missing key property 'msg.${c.key}' - cannot add to object`);
      done();
      return;
    }

    let group = inflight.get(partId);
    if (!group) {
      const merged = payloadType === 'object' || payloadType === 'merged';
      group = {
        type: merged ? 'object' : payloadType,
        items: [],
        object: {},
        currentCount: 0,
        targetCount,
        msg: cloneMessage(msg),
        send,
        dones: [],
        bufferLen: 0,
        prop: c.mode === 'auto' ? parts?.property : c.property,
      };
      if (payloadType === 'string' || payloadType === 'buffer') group.joinChar = joinChar;
      if (payloadType === 'array') group.arrayLen = arrayLen;
      inflight.set(partId, group);
      startTimer(group, partId);
    }
    group.dones.push(done);

    if (payloadType === 'buffer' && property !== undefined) {
      if (Buffer.isBuffer(property) || typeof property === 'string' || Array.isArray(property))
        group.bufferLen += property.length;
      else {
        done(`Cannot join ${typeof property} to buffer`);
        return;
      }
    }
    if (payloadType === 'object') {
      group.object[String(propertyKey)] = property;
      group.currentCount = Object.keys(group.object).length;
    } else if (payloadType === 'merged') {
      if (Array.isArray(property) || typeof property !== 'object' || property === null) {
        if (!hasOwn(msg, 'complete')) ctx.warn('Cannot merge non-object types');
      } else {
        for (const [k, v] of Object.entries(property)) if (k !== '_msgid') group.object[k] = v;
        group.currentCount = Object.keys(group.object).length;
      }
    } else if (typeof propertyIndex === 'number' && !Number.isNaN(propertyIndex)) {
      if (group.items[propertyIndex] === undefined || group.items[propertyIndex] === null) group.currentCount++;
      group.items[propertyIndex] = property;
    } else if (property !== undefined) {
      group.items.push(property);
      group.currentCount++;
    }
    group.msg = Object.assign(group.msg, msg);
    group.send = send;
    let tcnt = group.targetCount;
    if (hasOwn(msg, 'parts')) {
      tcnt = group.targetCount || parts?.count;
      group.targetCount = tcnt;
    }
    if ((tcnt !== undefined && tcnt > 0 && group.currentCount >= tcnt) || hasOwn(msg, 'complete')) completeSend(partId);
  }

  return {
    input,
    close() {
      for (const group of inflight.values()) {
        ctx.timers.clearTimeout(group.timeout);
        for (const d of group.dones) d();
      }
      inflight.clear();
    },
  };
}

export const joinNode = defineNode({
  type: 'join',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: joinConfig,
  label: 'join',
  icon: 'join.svg',
  color: '#E2D96E',
  help: `Joins sequences of messages into one message.

- **automatic**: reverses a **split** node, using \`msg.parts\`.
- **manual**: builds a string or buffer (with a joiner), an array, a key/value object (key from e.g.
  \`msg.topic\`) or a merged object, from a property or whole messages; sends after a count, after a
  timeout from the first message, or on a message with \`msg.complete\`.
- **reduce sequence**: folds each \`msg.parts\` sequence with a JSONata expression (\`$A\` accumulator,
  \`$I\` index, \`$N\` count), with an initial value and an optional fix-up expression (e.g. \`$A/$N\`).

**Inputs**: \`parts\`; \`complete\` sends what has been collected; \`reset\` discards it;
\`restartTimeout\` restarts the timeout. The other properties of the output come from the last message.
The runtime setting \`nodeMessageBufferMaxLength\` limits how many messages reduce mode holds.`,
  create(ctx, c) {
    const joiner = createJoiner(ctx, c);
    const reducer = c.mode === 'reduce' ? createReducer(ctx, c) : undefined;
    return {
      input(msg, send, done) {
        if (reducer) {
          if (c.propertyType !== 'full') {
            try {
              getMsgProperty(msg, c.property);
            } catch {
              // a path through a missing parent: Node-RED warns and drops the message
              ctx.warn(`Message property ${c.property} not found`);
              done();
              return;
            }
          }
          reducer.input({ msg, send, done });
          return;
        }
        joiner.input(msg, send, done);
      },
      close() {
        joiner.close();
        reducer?.close();
      },
    };
  },
});
