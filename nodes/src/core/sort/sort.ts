import { z } from 'zod';
import { defineNode, type NodeContext } from '@gridflow/runtime';
import { nodeShim, nrUtil, type JsonataExpression } from '../../shared/node-red-util.js';
import {
  getMsgProperty,
  hasOwn,
  jsonataProblem,
  messageBufferLimit,
  msgPropertyPath,
  readParts,
  setMsgProperty,
  type HeldMessage,
} from '../../shared/sequence.js';
import { boolish } from '../../shared/typed-value.js';

const config = z
  .object({
    name: z.string().default(''),
    order: z.enum(['ascending', 'descending']).default('ascending'),
    /** Compare keys as numbers. */
    as_num: boolish(false),
    /** 'msg': sort the array in `target`; 'seq': reorder a msg.parts sequence. */
    targetType: z.enum(['msg', 'seq']).default('msg'),
    target: msgPropertyPath('payload'),
    /** Array mode key: the element itself, or a JSONata expression on it. */
    msgKey: z.string().default('payload'),
    msgKeyType: z.enum(['elem', 'jsonata']).default('elem'),
    /** Sequence mode key: a message property, or a JSONata expression on the message. */
    seqKey: z.string().default('payload'),
    seqKeyType: z.enum(['msg', 'jsonata']).default('msg'),
  })
  .superRefine((c, issue) => {
    const [key, type, path] =
      c.targetType === 'msg' ? [c.msgKey, c.msgKeyType, 'msgKey'] : [c.seqKey, c.seqKeyType, 'seqKey'];
    if (type !== 'jsonata') return;
    const problem = jsonataProblem(key);
    if (problem) issue.addIssue({ code: 'custom', path: [path], message: problem });
  });
type SortConfig = z.infer<typeof config>;

interface Group {
  count: number | undefined;
  msgs: HeldMessage[];
  seq: number;
}

function comparator(c: SortConfig) {
  const dir = c.order === 'ascending' ? 1 : -1;
  const conv = c.as_num ? (x: unknown) => Number(x) : (x: unknown) => x;
  return <T>(key: (item: T) => unknown) =>
    (x: T, y: T): number => {
      const xp = conv(key(x)) as number;
      const yp = conv(key(y)) as number;
      if (xp === yp) return 0;
      return xp > yp ? dir : -dir;
    };
}

function sortWith(ctx: NodeContext, c: SortConfig) {
  const targetIsProp = c.targetType === 'msg';
  const keyIsExp = targetIsProp ? c.msgKeyType === 'jsonata' : c.seqKeyType === 'jsonata';
  const expr: JsonataExpression | undefined = keyIsExp
    ? nrUtil.prepareJSONataExpression(targetIsProp ? c.msgKey : c.seqKey, nodeShim(ctx))
    : undefined;
  const compare = comparator(c);

  /** Sorts items by the expression's value for each one (evaluations may be async). */
  async function byExpression<T>(items: T[], input: (item: T) => object): Promise<T[]> {
    const keyed = await Promise.all(
      items.map(
        (item) =>
          new Promise<{ item: T; key: unknown }>((resolve, reject) =>
            nrUtil.evaluateJSONataExpression(expr as JsonataExpression, input(item), (err, key) =>
              err ? reject(`Invalid JSONata expression in sort node: ${String(err)}`) : resolve({ item, key }),
            ),
          ),
      ),
    );
    return keyed.sort(compare((k: { key: unknown }) => k.key)).map((k) => k.item);
  }

  return {
    targetIsProp,
    async sortArray(items: unknown[]): Promise<unknown[]> {
      if (expr) return byExpression(items, (item) => item as object);
      return items.sort(compare((item: unknown) => item));
    },
    async sortSequence(msgs: HeldMessage[]): Promise<HeldMessage[]> {
      if (expr) return byExpression(msgs, (m) => m.msg);
      return msgs.sort(compare((m: HeldMessage) => getMsgProperty(m.msg, c.seqKey || 'payload')));
    },
  };
}

export const sortNode = defineNode({
  type: 'sort',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config,
  label: 'sort',
  icon: 'sort.svg',
  color: '#E2D96E',
  help: `Sorts the array in a message property, or reorders a sequence of messages.

Order is ascending or descending, optionally comparing as numbers. The key is the element (or a JSONata
expression on it) for an array, or a message property (or a JSONata expression on the message) for a
sequence. A sequence needs \`msg.parts\` (\`id\`, \`index\`, \`count\`), as the **split** node sets; the sorted
messages get new \`parts.index\` values. The runtime setting \`nodeMessageBufferMaxLength\` limits how many
messages are held.`,
  create(ctx, c) {
    const sorter = sortWith(ctx, c);
    const pending = new Map<string, Group>();
    let pendingCount = 0;
    let seq = 0;

    const finishWithError = (msgs: HeldMessage[], err: unknown) => {
      msgs.slice(0, -1).forEach((m) => m.done());
      msgs[msgs.length - 1]?.done(err);
    };

    async function sortProperty(held: HeldMessage): Promise<void> {
      const data = getMsgProperty(held.msg, c.target);
      if (Array.isArray(data)) {
        setMsgProperty(held.msg, c.target, await sorter.sortArray(data));
        held.send(held.msg);
      }
      held.done();
    }

    function removeOldest(): void {
      let oldest: [string, Group] | undefined;
      for (const entry of pending) if (!oldest || entry[1].seq < oldest[1].seq) oldest = entry;
      if (!oldest) return;
      pending.delete(oldest[0]);
      pendingCount -= oldest[1].msgs.length;
      finishWithError(oldest[1].msgs, 'Too many pending messages in sort node');
    }

    function addToSequence(held: HeldMessage): void {
      const parts = readParts(held.msg);
      if (!parts || !hasOwn(parts, 'id') || !hasOwn(parts, 'index')) {
        held.done();
        return;
      }
      let group = pending.get(parts.id);
      if (!group) pending.set(parts.id, (group = { count: undefined, msgs: [], seq: seq++ }));
      group.msgs.push(held);
      if (hasOwn(parts, 'count')) group.count = parts.count;
      pendingCount++;
      if (group.count === group.msgs.length) {
        pending.delete(parts.id);
        pendingCount -= group.msgs.length;
        const arrived = [...group.msgs];
        sorter.sortSequence(group.msgs).then(
          (sorted) =>
            sorted.forEach((m, i) => {
              (readParts(m.msg) as { index: number }).index = i;
              m.send(m.msg);
              m.done();
            }),
          (err: unknown) => finishWithError(arrived, err),
        );
        return;
      }
      const limit = messageBufferLimit(ctx);
      if (limit > 0 && pendingCount > limit) removeOldest();
    }

    return {
      input(msg, send, done) {
        const held: HeldMessage = { msg, send, done };
        if (sorter.targetIsProp) return sortProperty(held);
        addToSequence(held);
      },
      close() {
        if (pending.size) ctx.log('clear pending message in sort node');
        for (const group of pending.values()) group.msgs.forEach((m) => m.done());
        pending.clear();
        pendingCount = 0;
      },
    };
  },
});
