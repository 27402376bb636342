import type { Send } from './define-node.js';
import { cloneMessage, generateId, type Msg, type SendArg } from './message.js';
import type { RunningNode } from './running-node.js';

export interface SendDeps {
  enqueue(target: RunningNode, msg: Msg): void;
  reportError(node: RunningNode, err: unknown): void;
}

/** A node's `send`: Node-RED's rule, the first delivery gets the original and every other one a copy. */
export function createSend(node: RunningNode, { enqueue, reportError }: SendDeps): Send {
  const nonMessage = (v: unknown) =>
    reportError(node, new Error(`send() was given a ${typeof v}, not a message object`));
  return (arg: SendArg) => {
    if (arg === null || arg === undefined) return;
    if (!Array.isArray(arg)) {
      if (typeof arg !== 'object') return nonMessage(arg);
      node.counters.out++;
      const targets = node.outputs[0];
      if (!targets || targets.length === 0) return;
      if (!arg._msgid) arg._msgid = generateId();
      enqueue(targets[0] as RunningNode, arg);
      for (let i = 1; i < targets.length; i++) enqueue(targets[i] as RunningNode, cloneMessage(arg));
      return;
    }
    // Node-RED's rule: the first delivery gets the original, every other one a copy;
    // messages without an id take the id of the first message sent.
    let sentId: string | undefined;
    let sent = false;
    const pending: [RunningNode, Msg][] = [];
    const missing: Msg[] = [];
    for (let i = 0; i < arg.length; i++) {
      const entry = arg[i];
      if (entry === null || entry === undefined) continue;
      const msgs = Array.isArray(entry) ? entry : [entry];
      const targets = node.outputs[i] ?? [];
      for (const m of msgs) {
        if (m === null || m === undefined) continue;
        if (typeof m !== 'object') {
          nonMessage(m);
          continue;
        }
        node.counters.out++;
        if (!m._msgid) missing.push(m);
        else sentId ??= m._msgid;
        for (const t of targets) {
          pending.push([t, sent ? cloneMessage(m) : m]);
          sent = true;
        }
      }
    }
    if (missing.length) {
      const id = sentId ?? generateId();
      for (const m of missing) if (!m._msgid) m._msgid = id;
      for (const p of pending) if (!p[1]._msgid) p[1]._msgid = id;
    }
    for (const [t, m] of pending) enqueue(t, m);
  };
}
