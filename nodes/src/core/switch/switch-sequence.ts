import { cloneMessage, generateId, type Msg } from '@gridflow/runtime';
import type { Parts } from './switch-rules.js';

/**
 * Message sequences (msg.parts) in the switch node: the `tail` rule and the *repair sequences*
 * option need a sequence's length, so its messages are held until all have arrived; repair then
 * gives every output its own sequence (new parts id, index and count per output).
 */
export interface SwitchSequences {
  /** Holds a message; returns the whole sequence, each with parts.count set, once it is complete. */
  hold(msg: Msg, parts: Parts): Msg[] | undefined;
  /** Keeps a message's per-output result; once its sequence is complete, returns what each send carries. */
  collect(onward: (Msg | null)[], parts: Parts, ports: number): (Msg | null)[][] | undefined;
  clear(): void;
}

export function createSwitchSequences(): SwitchSequences {
  let pendingIn = new Map<unknown, { count: number | undefined; msgs: Msg[] }>();
  let pendingOut = new Map<unknown, (Msg | null)[][]>();

  return {
    hold(msg, parts) {
      let group = pendingIn.get(parts.id);
      if (!group) pendingIn.set(parts.id, (group = { count: undefined, msgs: [] }));
      group.msgs.push(msg);
      if (typeof parts.count === 'number') group.count = parts.count;
      if (group.count !== group.msgs.length) return undefined;
      pendingIn.delete(parts.id);
      for (const m of group.msgs) (m['parts'] as Parts).count = group.count;
      return group.msgs;
    },
    collect(onward, parts, ports) {
      let onwards = pendingOut.get(parts.id);
      if (!onwards) pendingOut.set(parts.id, (onwards = []));
      onwards.push(onward);
      if (onwards.length !== parts.count) return undefined;
      pendingOut.delete(parts.id);
      const counts = new Array<number>(ports).fill(0);
      for (const o of onwards) for (let j = 0; j < ports; j++) if (o[j]) counts[j] = (counts[j] ?? 0) + 1;
      const ids = counts.map(() => generateId());
      const indexes = new Array<number>(ports).fill(0);
      return onwards.map((o) => {
        const out: (Msg | null)[] = [];
        for (let j = 0; j < ports; j++) {
          const m = o[j];
          if (!m) {
            out.push(null);
            continue;
          }
          const copy = cloneMessage(m);
          const p = copy['parts'] as Parts;
          p.id = ids[j];
          p.index = indexes[j] ?? 0;
          p.count = counts[j] ?? 0;
          indexes[j] = (indexes[j] ?? 0) + 1;
          out.push(copy);
        }
        return out;
      });
    },
    clear() {
      pendingIn = new Map();
      pendingOut = new Map();
    },
  };
}
