import type { FlowControl, NodeStatus, RuntimeSettings } from './define-node.js';
import { createContextManager, type ContextManager } from './context/context-manager.js';
import { createMemoryStore } from './context/memory-store.js';
import { createRootEnv } from './env.js';
import { createEnvResolver } from './env-chain.js';
import { errorMessage, validationError, type NodeProblem } from './errors.js';
import { createEvents } from './events.js';
import { generateId, type Msg } from './message.js';
import { diffFlows, type DeployType } from './model/diff.js';
import { parseFlowDocument, type FlowDocument } from './model/flow-document.js';
import { createNodeContext, type EngineServices } from './node-context.js';
import { planFlows, type FlowPlan, type PlannedNode } from './plan.js';
import { buildRouteIndex, routeComplete, routeError, routeStatus, type RoutingDeps } from './routing.js';
import { createScheduler } from './scheduler.js';
import { resolveNodeConfig } from './validate.js';
import { selectRestarts } from './restart-set.js';
import { createSend } from './send.js';
import { clearTimers, closeNode, type CloseDeps } from './close-node.js';
import { startOrder } from './start-order.js';
import { validatePlan } from './validate-plan.js';
import { newRunningNode, type RunningNode } from './running-node.js';
import type { DeployResult, Runtime, RuntimeOptions } from './runtime-api.js';

export type { DeployResult, Runtime, RuntimeOptions } from './runtime-api.js';

const DEFAULT_SETTINGS: RuntimeSettings = {
  functionTimeoutMs: 1000,
  closeTimeoutMs: 15_000,
  functionGlobalContext: {},
  env: {},
};

export function createRuntime(options: RuntimeOptions): Runtime {
  const { registry } = options;
  const settings: RuntimeSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const events = createEvents();
  const contextManager: ContextManager = createContextManager(
    options.context ?? { stores: { memory: createMemoryStore() }, globalDefaults: settings.functionGlobalContext },
  );
  let contextOpened: Promise<void> | undefined;
  const rootEnv = createRootEnv(settings.env, options.processEnv);
  const planOptions = {
    isConfigType: (t: string) => registry.get(t)?.isConfig === true,
    host: options.host ?? 'cloud',
  } as const;

  let current: FlowDocument = [];
  let plan: FlowPlan = { flows: new Map(), groups: new Map(), nodes: new Map() };
  const running = new Map<string, RunningNode>();

  const scheduler = createScheduler<RunningNode, Msg>(deliver, {
    highWater: 10_000,
    lowWater: 5_000,
    sliceMs: 8,
    ...options.scheduler,
  });
  scheduler.onPressure((paused) => events.emit('pressure', { paused, depth: scheduler.length }));

  const routing: RoutingDeps = {
    get flows() {
      return plan.flows;
    },
    get groups() {
      return plan.groups;
    },
    nodes: running,
    index: { catchers: new Map(), statusers: new Map() },
    enqueue,
    warn: (node, message) =>
      events.emit('log', { level: 'warn', message, id: node.id, type: node.type, z: node.flow, name: node.name }),
  };

  function enqueue(target: RunningNode, msg: Msg): void {
    target.counters.queued++;
    scheduler.enqueue(target, msg);
  }

  function deliver(node: RunningNode, msg: Msg): void {
    node.counters.queued--;
    if (node.closed) return;
    node.counters.in++;
    const input = node.input;
    if (!input) return;
    let finished = false;
    const done = (err?: unknown) => {
      if (finished) return;
      finished = true;
      if (err !== undefined && err !== null) reportError(node, err, msg);
      else if (node.completers.length) routeComplete(routing, node, msg);
    };
    try {
      const r = input(msg, node.send, done);
      if (r !== undefined && r !== null && typeof (r as Promise<void>).then === 'function') {
        (r as Promise<void>).then(node.autoDone ? () => done() : undefined, (e: unknown) =>
          done(e ?? new Error('rejected')),
        );
      } else if (node.autoDone) done();
    } catch (err) {
      done(err);
    }
  }

  function reportError(node: RunningNode, err: unknown, msg?: Msg): void {
    node.counters.errors++;
    const handled = msg ? routeError(routing, node, err, msg) : false;
    events.emit('log', {
      level: 'error',
      message: errorMessage(err),
      id: node.id,
      type: node.type,
      z: node.flow,
      name: node.name,
    });
    events.emit('error', {
      id: node.id,
      type: node.type,
      z: node.flow,
      name: node.name,
      message: errorMessage(err),
      handled,
      ...(msg?._msgid ? { msgid: msg._msgid } : {}),
    });
  }

  const flowControl: FlowControl = {
    get paused() {
      return scheduler.paused;
    },
    ready() {
      if (!scheduler.paused) return Promise.resolve();
      return new Promise((resolve) => {
        const off = scheduler.onPressure((paused) => {
          if (!paused) {
            off();
            resolve();
          }
        });
      });
    },
    onChange: (listener) => scheduler.onPressure(listener),
  };

  let envFor = createEnvResolver(plan, rootEnv);
  const closeDeps: CloseDeps = {
    closeTimeoutMs: settings.closeTimeoutMs,
    warn: (node, message) => events.emit('log', { level: 'warn', message, id: node.id, type: node.type, z: node.flow }),
    reportError: (node, err) => reportError(node, err),
  };

  const engine: EngineServices = {
    settings,
    flowControl,
    context: (node) => contextManager.forNode(node.plan.alias ?? node.id, node.flow, plan.flows.get(node.flow)?.parent),
    env: (node) => envFor(node),
    setStatus(node, status) {
      node.status = status;
      events.emit('status', { id: node.id, z: node.flow, status });
      routeStatus(routing, node, status);
    },
    reportError,
    log(node, level, message) {
      events.emit('log', { level, message, id: node.id, type: node.type, z: node.flow, name: node.name });
    },
    publishDebug: (_node, output) => events.emit('debug', output),
    configNode: (id) => running.get(id)?.handlers.api,
    service: (name) => options.services?.[name],
    deliver(targetId, msg) {
      const target = running.get(targetId);
      if (!target || target.closed) return false;
      if (!msg._msgid) msg._msgid = generateId();
      enqueue(target, msg);
      return true;
    },
    findLinkIn(from, nameOrId) {
      const links = [...running.values()].filter((n) => n.def?.role === 'link-in');
      // An inner id names this subflow instance's own copy, never another instance's.
      const byId = links.filter((n) => n.id === nameOrId || (n.plan.alias === nameOrId && n.flow === from.flow));
      if (byId.length) return byId.map((n) => n.id);
      const byName = links.filter((n) => n.name === nameOrId);
      const local = byName.filter((n) => n.flow === from.flow);
      // As in Node-RED, link in nodes inside subflow instances are not reachable by name from elsewhere.
      return (local.length ? local : byName.filter((n) => plan.flows.get(n.flow)?.kind !== 'subflow')).map((n) => n.id);
    },
  };

  const validate = (next: FlowPlan): NodeProblem[] => validatePlan(next, registry, rootEnv);

  async function startNode(
    p: PlannedNode,
  ): Promise<{ node?: RunningNode; problem?: { id: string; type: string; message: string } }> {
    const def = registry.get(p.type);
    const node = newRunningNode(p, def);
    node.send = createSend(node, { enqueue, reportError });
    node.ctx = createNodeContext(node, engine, node.send);
    if (p.synthetic === 'subflow-instance') {
      node.handlers = { input: (msg, send) => send(msg) };
    } else if (p.synthetic === 'subflow-status') {
      const instanceId = String(p.raw['instance']);
      node.handlers = {
        input: (msg) => {
          const instance = running.get(instanceId);
          const payload = msg.payload;
          const status: NodeStatus =
            payload !== null && typeof payload === 'object' ? (payload as NodeStatus) : { text: String(payload ?? '') };
          if (instance) engine.setStatus(instance, status);
        },
      };
    } else if (def) {
      const result = resolveNodeConfig(def, p.raw, envFor(node), p.id);
      try {
        node.handlers = await def.create(node.ctx, result.config as never);
      } catch (err) {
        node.closed = true;
        clearTimers(node);
        return { problem: { id: p.id, type: p.type, message: errorMessage(err) } };
      }
    }
    const input = node.handlers.input;
    node.input = input ? input.bind(node.handlers) : undefined;
    node.autoDone = !input || input.length < 3;
    return { node };
  }

  function rewire(): void {
    for (const node of running.values()) {
      node.outputs = node.plan.wires.map((port) =>
        port.map((id) => running.get(id)).filter((n): n is RunningNode => n !== undefined),
      );
    }
    routing.index = buildRouteIndex(running.values());
  }

  let deploying: Promise<unknown> = Promise.resolve();

  async function doDeploy(input: unknown, type: DeployType): Promise<DeployResult> {
    const { flows: doc, rev } = parseFlowDocument(input);
    const next = planFlows(doc, planOptions);
    const problems = validate(next);
    if (problems.length) throw validationError(problems);
    contextOpened ??= contextManager.open();
    await contextOpened;

    const restart = selectRestarts({
      type,
      before: current,
      after: doc,
      diff: diffFlows(current, doc),
      plan: next,
      running,
    });
    const stopped: string[] = [];
    const overran: string[] = [];
    const toStop = [...running.values()].filter((n) => restart.has(n.id) || !next.nodes.has(n.id));
    // Nodes that use config nodes close first, config nodes last.
    toStop.sort((a, b) => Number(a.plan.isConfig) - Number(b.plan.isConfig));
    const nonConfig = toStop.filter((n) => !n.plan.isConfig);
    const configs = toStop.filter((n) => n.plan.isConfig);
    for (const group of [nonConfig, configs]) {
      const results = await Promise.all(
        group.map((n) => closeNode(n, !next.nodes.has(n.id), closeDeps).then((ok) => [n, ok] as const)),
      );
      for (const [n, ok] of results) {
        running.delete(n.id);
        stopped.push(n.id);
        if (!ok) overran.push(n.id);
        if (!next.nodes.has(n.id)) contextManager.deleteScope(`${n.plan.alias ?? n.id}:${n.flow}`);
      }
    }
    for (const flowId of plan.flows.keys()) if (!next.flows.has(flowId)) contextManager.deleteScope(flowId);

    plan = next;
    current = doc;
    envFor = createEnvResolver(plan, rootEnv);
    const started: string[] = [];
    const failed: DeployResult['failed'] = [];
    // Running nodes see the new plan (wires, names) even when they are not restarted.
    for (const [id, node] of running) {
      const p = next.nodes.get(id);
      if (p) (node as { plan: PlannedNode }).plan = p;
    }
    const toStart = startOrder([...next.nodes.values()].filter((p) => !running.has(p.id)));
    for (const p of toStart) {
      const { node, problem } = await startNode(p);
      if (node) {
        running.set(p.id, node);
        started.push(p.id);
      } else if (problem) {
        failed.push(problem);
        events.emit('log', {
          level: 'error',
          message: `failed to start: ${problem.message}`,
          id: problem.id,
          type: problem.type,
        });
      }
    }
    rewire();
    const result: DeployResult = { type, ...(rev !== undefined ? { rev } : {}), started, stopped, failed, overran };
    events.emit('deploy', result);
    return result;
  }

  let metricsTimer: NodeJS.Timeout | undefined;
  const metricsInterval = options.metricsIntervalMs ?? 1000;
  const ensureMetricsTimer = () => {
    if (metricsTimer || metricsInterval <= 0) return;
    metricsTimer = setInterval(() => {
      if (events.listenerCount('metrics')) events.emit('metrics', runtime.metrics());
    }, metricsInterval);
    metricsTimer.unref();
  };

  async function stopAll(): Promise<{ overran: string[] }> {
    const nodes = [...running.values()];
    const overran: string[] = [];
    const order = [nodes.filter((n) => !n.plan.isConfig), nodes.filter((n) => n.plan.isConfig)];
    for (const group of order) {
      const results = await Promise.all(
        group.map((n) => closeNode(n, false, closeDeps).then((ok) => [n, ok] as const)),
      );
      for (const [n, ok] of results) if (!ok) overran.push(n.id);
    }
    running.clear();
    scheduler.clear();
    return { overran };
  }

  const runtime: Runtime = {
    events,
    deploy(doc, type = 'full') {
      ensureMetricsTimer();
      const run = deploying.then(() => doDeploy(doc, type));
      deploying = run.catch(() => undefined);
      return run;
    },
    async stop() {
      await deploying;
      const result = await stopAll();
      current = [];
      plan = { flows: new Map(), groups: new Map(), nodes: new Map() };
      return result;
    },
    async close() {
      const result = await runtime.stop();
      if (metricsTimer) clearInterval(metricsTimer);
      if (contextOpened) await contextManager.close();
      return result;
    },
    receive(nodeId, msg = {}) {
      return engine.deliver(nodeId, { ...msg, _msgid: msg._msgid ?? generateId() } as Msg);
    },
    flows: () => current,
    metrics() {
      return {
        time: Date.now(),
        queueDepth: scheduler.length,
        paused: scheduler.paused,
        nodes: [...running.values()].map((n) => ({ id: n.id, type: n.type, z: n.flow, ...n.counters })),
      };
    },
    statuses: () =>
      [...running.values()].filter((n) => n.status).map((n) => ({ id: n.id, status: n.status as NodeStatus })),
    idle: () => scheduler.idle(),
    check(doc) {
      const { flows } = parseFlowDocument(doc);
      return validate(planFlows(flows, planOptions));
    },
  };
  return runtime;
}
