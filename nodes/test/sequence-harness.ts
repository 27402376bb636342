import { z } from 'zod';
import {
  createRegistry,
  createRuntime,
  defineNode,
  type AnyNodeDefinition,
  type Msg,
  type NodeErrorEvent,
  type NodeStatus,
  type Runtime,
  type RuntimeSettings,
} from '@gridflow/runtime';
import { settleRuntime, testNodes } from '../../runtime/test/harness.js';
import { sequenceNodes } from '../src/core/sequence-nodes.js';

/** Test-only node types: a probe that records what reaches it, a pass-through, a node that fails or sets status. */
const helperNodes: AnyNodeDefinition[] = [
  testNodes.probe,
  defineNode({
    type: 'test-fail',
    category: 'core',
    inputs: 1,
    outputs: 1,
    config: z.object({ message: z.string().default('boom') }),
    create: (_ctx, config) => ({
      input(_msg, _send, done) {
        done(new Error(config.message));
      },
    }),
  }),
  defineNode({
    type: 'test-status',
    category: 'core',
    inputs: 1,
    outputs: 1,
    config: z.object({}).passthrough(),
    create: (ctx) => ({
      input(msg, send) {
        ctx.status({ fill: 'green', shape: 'dot', text: String(msg.payload) });
        send(msg);
      },
    }),
  }),
];

export interface FlowHarness {
  runtime: Runtime;
  /** Messages that reached the probe with this id, in arrival order. */
  at(probeId: string): Msg[];
  /** Payloads that reached the probe with this id. */
  payloads(probeId: string): unknown[];
  errors: NodeErrorEvent[];
  warnings: { id?: string; message: string }[];
  statuses(nodeId: string): NodeStatus[];
  deploy(flows: unknown[]): Promise<void>;
  /** Sends a message into a node's input. */
  send(nodeId: string, msg?: Partial<Msg>): void;
  /** Waits until the scheduler is empty, then a little longer for timers and promise chains. */
  settle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export const tab = (id = 't1') => ({ id, type: 'tab', label: id });
export const probe = (id: string, z = 't1') => ({ id, type: 'probe', z, wires: [] });

export function startFlows(settings: Partial<RuntimeSettings> = {}, extra: AnyNodeDefinition[] = []): FlowHarness {
  const runtime = createRuntime({
    registry: createRegistry([...sequenceNodes, ...helperNodes, ...extra]),
    settings,
    metricsIntervalMs: 0,
  });
  const received: { id: string; msg: Msg }[] = [];
  const errors: NodeErrorEvent[] = [];
  const warnings: { id?: string; message: string }[] = [];
  const statusLog: { id: string; status: NodeStatus }[] = [];
  runtime.events.on('debug', (d) => received.push({ id: d.id, msg: d.msg as Msg }));
  runtime.events.on('error', (e) => errors.push(e));
  runtime.events.on('log', (l) => {
    if (l.level === 'warn') warnings.push({ ...(l.id ? { id: l.id } : {}), message: l.message });
  });
  runtime.events.on('status', (s) => statusLog.push({ id: s.id, status: s.status }));
  const at = (id: string) => received.filter((r) => r.id === id).map((r) => r.msg);
  return {
    runtime,
    at,
    payloads: (id) => at(id).map((m) => m.payload),
    errors,
    warnings,
    statuses: (id) => statusLog.filter((s) => s.id === id).map((s) => s.status),
    async deploy(flows) {
      const result = await runtime.deploy(flows);
      if (result.failed.length) throw new Error(`nodes failed to start: ${JSON.stringify(result.failed)}`);
    },
    send(nodeId, msg = {}) {
      if (!runtime.receive(nodeId, msg)) throw new Error(`no running node ${nodeId}`);
    },
    settle: (ms) => settleRuntime(runtime, ms),
    async close() {
      await runtime.close();
    },
  };
}

/** Real-time wait, for tests that run on real timers. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fake timers that leave setImmediate (the runtime's scheduler) real; clearTimeout and clearInterval
 * must be faked along with their setters, or clearing a fake timer does nothing.
 */
export const fakeTimerOptions = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as (
    'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'Date'
  )[],
};
