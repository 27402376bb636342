import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { cloneMessage, defineNode, type Done, type Msg, type NodeContext, type Send } from '@gridflow/runtime';
import { numberish } from '../../shared/typed-value.js';

/** What link call pushes onto msg._linkSource so that a link out in return mode can find it again. */
export interface LinkSourceEntry {
  id: string;
  node: string;
}

/** The api a link call node exposes (through its handlers) for link out nodes in return mode. */
export interface LinkCallApi {
  returnLinkMessage(eventId: string, msg: Msg): void;
}

interface PendingCall {
  msg: Msg;
  send: Send;
  done: Done;
  timer: NodeJS.Timeout;
}

const config = z.object({
  name: z.string().default(''),
  /** Static mode calls links[0]; Node-RED also accepts a single id as a string. */
  links: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string()).default([])),
  linkType: z.enum(['static', 'dynamic']).default('static'),
  /** Seconds to wait for the return; blank means 30. */
  timeout: numberish(30).pipe(z.number().min(0)),
});

/** The link in node to call: by id, or (dynamic mode) by name, this flow first. */
function resolveTarget(ctx: NodeContext, cfg: z.infer<typeof config>, msg: Msg): string {
  const dynamic = cfg.linkType === 'dynamic';
  const wanted = dynamic ? msg['target'] : cfg.links[0];
  const name = typeof wanted === 'string' ? wanted : '';
  if (name) {
    const found = ctx.links.findLinkIn(name);
    if (!dynamic) {
      if (found.includes(name)) return name;
    } else if (found.length === 1) {
      return found[0] as string;
    } else if (found.length > 1) {
      throw new Error(`Multiple link-in nodes named '${name}' found`);
    }
  }
  throw new Error(`target link-in node '${name}' not found`);
}

export const linkCallNode = defineNode({
  type: 'link call',
  category: 'core',
  role: 'link-call',
  inputs: 1,
  outputs: 1,
  config,
  label: 'link call',
  icon: 'link-call.svg',
  color: '#ddd',
  help: `Calls a flow that starts with a **link in** node and ends with a **link out** node in return mode, then sends on the response.

**Inputs**: \`target\` (string), with *Link Type* "Dynamic target": the name or id of the link in node to call.
Two link in nodes with that name raise an error; a link in inside a subflow cannot be called by name from outside.

If no response arrives within the timeout (default 30 seconds) the node reports a \`timeout\` error that a
catch node can handle.`,
  create(ctx, cfg) {
    const pending = new Map<string, PendingCall>();
    const timeoutMs = cfg.timeout * 1000;

    const timedOut = (eventId: string) => {
      const call = pending.get(eventId);
      if (!call) return;
      pending.delete(eventId);
      // As Node-RED: the error carries the message as it was before the call; the original never completes.
      ctx.error('timeout', call.msg);
    };

    const api: LinkCallApi = {
      returnLinkMessage(eventId, msg) {
        const stack = msg['_linkSource'];
        if (Array.isArray(stack) && stack.length === 0) delete msg['_linkSource'];
        const call = pending.get(eventId);
        if (!call) {
          ctx.send(msg);
          return;
        }
        ctx.timers.clearTimeout(call.timer);
        pending.delete(eventId);
        call.send(msg);
        call.done();
      },
    };

    return {
      api,
      input(msg, send, done) {
        let target: string;
        try {
          target = resolveTarget(ctx, cfg, msg);
        } catch (err) {
          done(err);
          return;
        }
        const existing = msg['_linkSource'];
        const stack: unknown[] = Array.isArray(existing) ? existing : [];
        msg['_linkSource'] = stack;
        const entry: LinkSourceEntry = { id: randomBytes(14).toString('hex'), node: ctx.id };
        pending.set(entry.id, {
          msg: cloneMessage(msg),
          send,
          done,
          timer: ctx.timers.setTimeout(() => timedOut(entry.id), timeoutMs),
        });
        stack.push(entry);
        ctx.links.deliver(target, msg);
      },
      close() {
        for (const call of pending.values()) ctx.timers.clearTimeout(call.timer);
        pending.clear();
      },
    };
  },
});
