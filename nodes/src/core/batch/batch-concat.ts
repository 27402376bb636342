import type { NodeContext, NodeHandlers } from '@gridflow/runtime';
import { hasOwn, messageBufferLimit, readParts, type HeldMessage } from '../../shared/sequence.js';
import type { BatchConfig } from './batch-config.js';
import { sendSequence, tooMany } from './batch-modes.js';

interface TopicQueue {
  /** Sequence ids in arrival order; only the first is a candidate for concatenation. */
  gids: string[];
  groups: Map<string, { count: number | undefined; msgs: HeldMessage[] }>;
}

/** Batch "concat" mode: one sequence of each listed topic, concatenated in list order once all are complete. */
export function createConcat(ctx: NodeContext, c: BatchConfig): NodeHandlers {
  const topics = c.topics.map((t) => t.topic);
  let pending = new Map<string, TopicQueue>();
  let pendingCount = 0;

  const firstGroup = (topic: string) => {
    const q = pending.get(topic);
    const gid = q?.gids[0];
    return gid === undefined ? undefined : q?.groups.get(gid);
  };
  const isComplete = (topic: string) => {
    const g = firstGroup(topic);
    return g !== undefined && g.count === g.msgs.length;
  };
  const dropAll = (failing?: HeldMessage) => {
    for (const q of pending.values())
      for (const g of q.groups.values()) for (const h of g.msgs) h.done(h === failing ? tooMany() : undefined);
    pending = new Map();
    pendingCount = 0;
  };

  function tryConcat(): void {
    if (!topics.every(isComplete)) return;
    const msgs = topics.flatMap((t) => firstGroup(t)?.msgs ?? []);
    for (const t of topics) {
      const q = pending.get(t) as TopicQueue;
      const gid = q.gids.shift();
      if (gid !== undefined) q.groups.delete(gid);
    }
    sendSequence(msgs, true);
    msgs.forEach((h) => h.done());
    pendingCount -= msgs.length;
  }

  return {
    input(msg, send, done) {
      if (hasOwn(msg, 'reset')) {
        dropAll();
        done();
        return;
      }
      const topic = msg.topic;
      if (typeof topic !== 'string' || !topics.includes(topic)) {
        done(); // not one of the listed topics: ignored
        return;
      }
      const parts = readParts(msg);
      if (!parts || !hasOwn(parts, 'id') || !hasOwn(parts, 'index') || !hasOwn(parts, 'count')) {
        done('no parts property in message');
        return;
      }
      let q = pending.get(topic);
      if (!q) pending.set(topic, (q = { gids: [], groups: new Map() }));
      let group = q.groups.get(parts.id);
      if (!group) {
        q.groups.set(parts.id, (group = { count: undefined, msgs: [] }));
        q.gids.push(parts.id);
      }
      const held: HeldMessage = { msg, send, done };
      group.msgs.push(held);
      if (group.count === undefined && hasOwn(parts, 'count')) group.count = parts.count;
      pendingCount++;
      const limit = messageBufferLimit(ctx);
      if (limit > 0 && pendingCount > limit) dropAll(held);
      tryConcat();
    },
    close() {
      dropAll();
    },
  };
}
