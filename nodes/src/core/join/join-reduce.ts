import type { NodeContext } from '@gridflow/runtime';
import { nodeShim, nrUtil, type JsonataExpression } from '../../shared/node-red-util.js';
import { hasOwn, messageBufferLimit, readParts, type HeldMessage } from '../../shared/sequence.js';
import type { JoinConfig } from './join-config.js';

interface PendingGroup {
  count: number | undefined;
  /** In arrival order. */
  msgs: HeldMessage[];
}

/**
 * Join's "reduce sequence" mode: each complete msg.parts group is folded with a JSONata expression
 * ($A accumulator, $I index, $N count), optionally fixed up, and sent as the last message's payload.
 * Messages are processed strictly one after another so that groups never interleave.
 */
export function createReducer(ctx: NodeContext, c: JoinConfig) {
  const shim = nodeShim(ctx);
  const reduceExp = nrUtil.prepareJSONataExpression(c.reduceExp ?? '', shim);
  const fixupExp = c.reduceFixup ? nrUtil.prepareJSONataExpression(c.reduceFixup, shim) : undefined;
  const pending = new Map<string, PendingGroup>();
  let pendingCount = 0;
  const queue: HeldMessage[] = [];
  let draining = false;

  const evaluate = (expr: JsonataExpression, input: object) =>
    new Promise<unknown>((resolve, reject) =>
      // JSONata's own error object goes to done() as it is, as in Node-RED (code and message kept).
      nrUtil.evaluateJSONataExpression(expr, input, (err, result) => (err ? reject(err) : resolve(result))),
    );

  // Node-RED ignores an asynchronous error here (the accumulator starts undefined); a thrown one fails the group.
  const initialValue = () =>
    new Promise<unknown>((resolve, reject) => {
      try {
        nrUtil.evaluateNodeProperty(c.reduceInit, c.reduceInitType ?? '', shim, {}, (_err, value) => resolve(value));
      } catch (err) {
        reject(new Error(`Invalid JSONata expression: ${(err as Error).message}`));
      }
    });

  const indexOf = (m: HeldMessage) => readParts(m.msg)?.index ?? 0;

  async function reduceGroup(group: PendingGroup): Promise<void> {
    const dir = c.reduceRight ? -1 : 1;
    const ordered = [...group.msgs].sort((x, y) => (indexOf(x) - indexOf(y)) * dir);
    let acc = await initialValue();
    for (const m of ordered) {
      reduceExp.assign('I', indexOf(m));
      reduceExp.assign('N', group.count);
      reduceExp.assign('A', acc);
      acc = await evaluate(reduceExp, m.msg);
    }
    if (fixupExp) {
      fixupExp.assign('N', group.count);
      fixupExp.assign('A', acc);
      acc = await evaluate(fixupExp, {});
    }
    const last = ordered[ordered.length - 1] as HeldMessage;
    last.msg.payload = acc;
    last.send(last.msg);
  }

  async function process(held: HeldMessage): Promise<void> {
    const parts = readParts(held.msg);
    if (!parts) {
      held.send(held.msg);
      held.done();
      return;
    }
    let group = pending.get(parts.id);
    if (!group) pending.set(parts.id, (group = { count: undefined, msgs: [] }));
    if (group.count === undefined && hasOwn(parts, 'count')) group.count = parts.count;
    group.msgs.push(held);
    pendingCount++;
    if (group.msgs.length === group.count) {
      pending.delete(parts.id);
      pendingCount -= group.msgs.length;
      try {
        await reduceGroup(group);
      } catch (err) {
        // As Node-RED: the message that completed the group carries the error, the others just finish.
        group.msgs.slice(0, -1).forEach((m) => m.done());
        held.done(err);
        return;
      }
      group.msgs.forEach((m) => m.done());
    }
    const limit = messageBufferLimit(ctx);
    if (limit > 0 && pendingCount > limit) {
      for (const g of pending.values()) for (const m of g.msgs) if (m !== held) m.done();
      pending.clear();
      pendingCount = 0;
      held.done('too many pending messages in join node');
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    while (queue.length) {
      const held = queue.shift() as HeldMessage;
      try {
        await process(held);
      } catch (err) {
        held.done(err);
      }
    }
    draining = false;
  }

  return {
    input(held: HeldMessage) {
      queue.push(held);
      if (!draining) void drain();
    },
    close() {
      for (const g of pending.values()) for (const m of g.msgs) m.done();
      pending.clear();
      pendingCount = 0;
      queue.length = 0;
    },
  };
}

export type Reducer = ReturnType<typeof createReducer>;
