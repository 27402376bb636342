import { z } from 'zod';
import { createRegistry, defineNode, type AnyNodeDefinition } from '@gridflow/runtime';

/** Small node types for server tests, independent of what @gridflow/nodes holds today. */
export const testNodes: AnyNodeDefinition[] = [
  defineNode({
    type: 'tick',
    category: 'core',
    inputs: 1,
    outputs: 1,
    label: 'tick',
    help: 'Sends its payload when injected.',
    config: z.object({ payload: z.string().default('tick'), topic: z.string().default('') }).passthrough(),
    create: (_ctx, config) => ({
      input(msg, send) {
        send({ ...msg, payload: msg.payload ?? config.payload, topic: msg.topic ?? config.topic });
      },
    }),
  }),
  defineNode({
    type: 'probe',
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({ active: z.boolean().default(true) }).passthrough(),
    create: (ctx) => ({
      input(msg) {
        if (msg.payload === 'warn') ctx.warn('watch out');
        ctx.status({ fill: 'green', shape: 'dot', text: String(msg.payload) });
        ctx.publishDebug({ property: 'payload', msg: msg.payload, ...(msg.topic ? { topic: msg.topic } : {}) });
      },
    }),
  }),
  defineNode({
    type: 'counter',
    category: 'stream',
    inputs: 1,
    outputs: 1,
    config: z.object({ count: z.number().int().min(1), unit: z.enum(['ms', 'count']).default('count') }).passthrough(),
    create: () => ({ input: (msg, send) => send(msg) }),
  }),
  defineNode({
    type: 'rules',
    category: 'core',
    inputs: 1,
    outputs: (raw) => (Array.isArray(raw['rules']) ? raw['rules'].length : 1),
    config: z.object({ rules: z.array(z.string()).default([]), check: z.string().refine((s) => s !== 'bad').optional() }).passthrough(),
    create: () => ({ input: (msg, send) => send(msg) }),
  }),
  defineNode({
    type: 'odd',
    category: 'core',
    inputs: 1,
    outputs: 1,
    // A transform cannot be represented as JSON Schema input; the catalog must still list the type.
    config: z.object({ when: z.custom<Date>((v) => v instanceof Date) }).passthrough(),
    create: () => ({}),
  }),
];

export const testRegistry = () => createRegistry(testNodes);

/** A tab with tick → probe. */
export const tickFlow = (payload = 'hello') => [
  { id: 'tab1', type: 'tab', label: 'Main' },
  { id: 't1', type: 'tick', z: 'tab1', payload, wires: [['p1']] },
  { id: 'p1', type: 'probe', z: 'tab1', wires: [] },
];
