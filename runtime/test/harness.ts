import { z } from 'zod';
import { createRegistry, createRuntime, defineNode, type AnyNodeDefinition, type Msg, type Runtime } from '../src/index.js';

/**
 * A node that sends on what it gets. With a role it has no input: the engine hands it the errors
 * (catch), statuses or completions of its tab, as Node-RED's catch, status and complete nodes.
 */
export function relayNode(type: string, role?: 'catch' | 'status' | 'complete') {
  return defineNode({
    type,
    category: 'core',
    ...(role ? { role } : {}),
    inputs: role ? 0 : 1,
    outputs: 1,
    config: z.object({}).passthrough(),
    create: () => ({ input: (msg, send) => send(msg) }),
  });
}

/** Minimal node types for exercising the engine without the core node package. */
export const testNodes = {
  pass: relayNode('pass'),
  probe: defineNode({
    type: 'probe',
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: (ctx) => ({ input: (msg) => ctx.publishDebug({ property: 'msg', msg }) }),
  }),
  fail: defineNode({
    type: 'fail',
    category: 'core',
    inputs: 1,
    outputs: 1,
    config: z.object({ mode: z.enum(['throw', 'done', 'reject']).default('throw') }),
    create: (_ctx, config) => ({
      input(msg, _send, done) {
        if (config.mode === 'throw') throw new Error('boom');
        if (config.mode === 'done') return done(new Error('done-boom'));
        return Promise.reject(new Error('async-boom'));
      },
    }),
  }),
  catcher: relayNode('catch', 'catch'),
  statusWatcher: relayNode('status', 'status'),
  complete: relayNode('complete', 'complete'),
};

export function startHarness(extra: AnyNodeDefinition[] = [], opts: Parameters<typeof createRuntime>[0]['settings'] = {}) {
  const runtime: Runtime = createRuntime({
    registry: createRegistry([...Object.values(testNodes), ...extra] as AnyNodeDefinition[]),
    settings: opts,
  });
  const received: { id: string; msg: Msg }[] = [];
  runtime.events.on('debug', (d) => received.push({ id: d.id, msg: d.msg as Msg }));
  const at = (id: string) => received.filter((r) => r.id === id).map((r) => r.msg);
  return { runtime, received, at };
}

export const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** Waits until the delivery queue is empty, `ms` more for timers and promise chains, and until it is empty again. */
export async function settleRuntime(runtime: Runtime, ms = 10): Promise<void> {
  await runtime.idle();
  await settle(ms);
  await runtime.idle();
}
