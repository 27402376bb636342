import { z } from 'zod';
import {
  createRegistry,
  createRuntime,
  defineNode,
  type AnyNodeDefinition,
  type DebugOutput,
  type Msg,
  type NodeErrorEvent,
  type NodeStatus,
  type Runtime,
  type RuntimeOptions,
} from '@gridflow/runtime';
import { relayNode, settleRuntime } from '../../runtime/test/harness.js';

/**
 * Loads flow JSON into a real runtime and collects what reaches probes.
 *
 *   const h = await runFlow([{ id: 'f', type: 'function', func: 'return msg;', wires: [['out']] }], { nodes });
 *   h.send('f', { payload: 1 });
 *   const [msg] = await h.outputs('out', 1);
 *
 * Any wire target that is not a node of the flow becomes a probe with that id (so a probe id must
 * not be a node id: a wire to a node goes to that node); nodes without `z`
 * go on a tab the harness adds. Errors, debug output, statuses and logs are collected too.
 */
export interface FlowHarnessOptions {
  nodes: AnyNodeDefinition[];
  settings?: RuntimeOptions['settings'];
  services?: Record<string, unknown>;
  scheduler?: RuntimeOptions['scheduler'];
  /** How long `outputs` waits before failing (ms). */
  timeoutMs?: number;
}

export interface FlowHarness {
  runtime: Runtime;
  /** Delivers a message to a node's input, as the editor's inject button does. */
  send(id: string, msg?: Partial<Msg>): void;
  /** Resolves with the first n messages that reached probe `id`; rejects after the timeout. */
  outputs(id: string, n: number, timeoutMs?: number): Promise<Msg[]>;
  /** Messages that reached probe `id` so far. */
  received(id: string): Msg[];
  /** Resolves with the first n errors reported (by node `id` when given). */
  waitErrors(n: number, id?: string, timeoutMs?: number): Promise<NodeErrorEvent[]>;
  errors: NodeErrorEvent[];
  debug: DebugOutput[];
  logs: { level: string; message: string; id?: string }[];
  statuses(id: string): NodeStatus[];
  /** Waits until the delivery queue is empty and a few event-loop turns have passed. */
  settle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const HARNESS_TAB = 'harness-tab';

const probeNode = defineNode({
  type: 'harness-probe',
  category: 'core',
  inputs: 1,
  outputs: 0,
  config: z.object({}).passthrough(),
  create: () => ({}),
});

/**
 * A catch node for tests of nodes that report errors, usable before (or without) the real one:
 * `{ id: 'c', type: 'harness-catch', wires: [['errors']] }` sends every error of its tab on.
 */
export const harnessCatch = relayNode('harness-catch', 'catch') as AnyNodeDefinition;

type RawNode = Record<string, unknown> & { id: string; type: string };

export async function runFlow(flows: Record<string, unknown>[], options: FlowHarnessOptions): Promise<FlowHarness> {
  const received = new Map<string, Msg[]>();
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  const probe: AnyNodeDefinition = {
    ...probeNode,
    create: (ctx) => ({
      input(msg: Msg) {
        let list = received.get(ctx.id);
        if (!list) received.set(ctx.id, (list = []));
        list.push(msg);
        notify();
      },
    }),
  } as AnyNodeDefinition;

  const doc = withProbes(flows as RawNode[]);
  const runtime = createRuntime({
    registry: createRegistry([...options.nodes, probe]),
    settings: options.settings ?? {},
    ...(options.services ? { services: options.services } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    metricsIntervalMs: 0,
  });
  const errors: NodeErrorEvent[] = [];
  const debug: DebugOutput[] = [];
  const logs: FlowHarness['logs'] = [];
  const statuses = new Map<string, NodeStatus[]>();
  runtime.events.on('error', (e) => {
    errors.push(e);
    notify();
  });
  runtime.events.on('debug', (d) => {
    debug.push(d);
    notify();
  });
  runtime.events.on('log', (l) => logs.push({ level: l.level, message: l.message, ...(l.id ? { id: l.id } : {}) }));
  runtime.events.on('status', (s) => {
    let list = statuses.get(s.id);
    if (!list) statuses.set(s.id, (list = []));
    list.push(s.status);
    notify();
  });
  await runtime.deploy(doc);
  const defaultTimeout = options.timeoutMs ?? 2000;

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        notify();
      }, timeoutMs);
      const attempt = () => {
        const result = check();
        if (result !== undefined) {
          clearTimeout(timer);
          return resolve(result);
        }
        if (expired) return reject(new Error(describe()));
        waiters.push(attempt);
      };
      attempt();
    });

  return {
    runtime,
    send(id, msg = {}) {
      if (!runtime.receive(id, msg)) throw new Error(`flow harness: no running node "${id}"`);
    },
    outputs(id, n, timeoutMs = defaultTimeout) {
      return waitFor(
        () => {
          const list = received.get(id) ?? [];
          return list.length >= n ? list.slice(0, n) : undefined;
        },
        timeoutMs,
        () =>
          `flow harness: probe "${id}" got ${(received.get(id) ?? []).length} of ${n} messages in ${timeoutMs} ms` +
          (errors.length ? `; errors: ${errors.map((e) => `${e.id}: ${e.message}`).join('; ')}` : ''),
      );
    },
    received: (id) => [...(received.get(id) ?? [])],
    waitErrors(n, id, timeoutMs = defaultTimeout) {
      return waitFor(
        () => {
          const list = id ? errors.filter((e) => e.id === id) : errors;
          return list.length >= n ? list.slice(0, n) : undefined;
        },
        timeoutMs,
        () => `flow harness: expected ${n} errors${id ? ` from ${id}` : ''}, got ${errors.length}`,
      );
    },
    errors,
    debug,
    logs,
    statuses: (id) => [...(statuses.get(id) ?? [])],
    settle: (ms) => settleRuntime(runtime, ms),
    async close() {
      await runtime.close();
    },
  };
}

/** Adds the harness tab when nodes have no `z`, and a probe for every wire target that is not a node. */
function withProbes(flows: RawNode[]): RawNode[] {
  const ids = new Set(flows.map((n) => n.id));
  const out: RawNode[] = flows.map((n) =>
    n.type === 'tab' || n.type === 'subflow' || n.z !== undefined || isConfig(n) ? n : { ...n, z: HARNESS_TAB },
  );
  if (out.some((n) => n.z === HARNESS_TAB) && !ids.has(HARNESS_TAB)) out.unshift({ id: HARNESS_TAB, type: 'tab', label: 'harness' });
  const probes = new Set<string>();
  for (const n of out) {
    if (!Array.isArray(n.wires)) continue;
    for (const port of n.wires as unknown[]) {
      if (!Array.isArray(port)) continue;
      for (const target of port) if (typeof target === 'string' && !ids.has(target)) probes.add(target);
    }
  }
  for (const id of probes) out.push({ id, type: 'harness-probe', z: zOf(out, id), wires: [] });
  return out;
}

function isConfig(n: RawNode): boolean {
  return n.type === 'group' || n.type === 'global-config';
}

// A probe sits on the tab of the first node wired to it, so that wires never cross tabs.
function zOf(nodes: RawNode[], probeId: string): string {
  for (const n of nodes) {
    if (!Array.isArray(n.wires)) continue;
    if ((n.wires as unknown[]).some((p) => Array.isArray(p) && p.includes(probeId))) return String(n.z ?? HARNESS_TAB);
  }
  return HARNESS_TAB;
}
