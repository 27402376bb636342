import { z } from 'zod';
import { defineNode, type AnyNodeDefinition } from '@gridflow/runtime';

/**
 * A sink that counts rows and keeps nothing (a probe keeps every message, which would defeat
 * a memory test): `counts.rows`, `counts.messages`, and the last message's `parts`.
 */
export function countingSink(type = 'count-sink', delayMs = 0) {
  const counts = { rows: 0, messages: 0, lastParts: undefined as unknown, done: false };
  const node = defineNode({
    type,
    category: 'core',
    inputs: 1,
    outputs: 0,
    config: z.object({}).passthrough(),
    create: () => ({
      async input(msg, _send, done) {
        counts.messages++;
        counts.rows += Array.isArray(msg.payload) ? msg.payload.length : 1;
        const parts = msg['parts'] as { count?: number } | undefined;
        counts.lastParts = parts;
        if (parts?.count !== undefined) counts.done = true;
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        done();
      },
    }),
  }) as AnyNodeDefinition;
  return { node, counts };
}

/** A table name no other test file uses at the same time. */
export const tableName = (prefix: string) => `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;

/** Samples heapUsed until stopped; returns the highest value seen. */
export function heapSampler(intervalMs = 10) {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().heapUsed);
    },
  };
}
