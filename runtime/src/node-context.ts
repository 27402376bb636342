import type {
  DebugOutput,
  FlowControl,
  NodeContext,
  NodeStatus,
  NodeTimers,
  RuntimeSettings,
  Send,
  ServiceKey,
} from './define-node.js';
import type { ContextApi } from './context/types.js';
import type { EnvScope } from './env.js';
import type { Msg } from './message.js';
import type { RunningNode } from './running-node.js';

/** What the engine lends each node context; one object shared by all nodes of a runtime. */
export interface EngineServices {
  settings: RuntimeSettings;
  flowControl: FlowControl;
  context(node: RunningNode): ContextApi;
  env(node: RunningNode): EnvScope;
  setStatus(node: RunningNode, status: NodeStatus): void;
  reportError(node: RunningNode, err: unknown, msg?: Msg): void;
  log(node: RunningNode, level: 'info' | 'warn' | 'debug', message: string): void;
  publishDebug(node: RunningNode, output: DebugOutput): void;
  configNode(id: string): unknown;
  service(name: string): unknown;
  deliver(targetId: string, msg: Msg): boolean;
  findLinkIn(from: RunningNode, nameOrId: string): string[];
}

function normalizeStatus(status: NodeStatus | string): NodeStatus {
  return typeof status === 'string' ? { text: status } : status;
}

function nodeTimers(node: RunningNode, engine: EngineServices): NodeTimers {
  const guard = (fn: () => void) => () => {
    try {
      fn();
    } catch (err) {
      engine.reportError(node, err);
    }
  };
  return {
    setTimeout(fn, ms) {
      const t: NodeJS.Timeout = setTimeout(() => {
        node.timers.delete(t);
        guard(fn)();
      }, ms);
      node.timers.add(t);
      return t;
    },
    setInterval(fn, ms) {
      const t = setInterval(guard(fn), ms);
      node.timers.add(t);
      return t;
    },
    clearTimeout(t) {
      if (!t) return;
      clearTimeout(t);
      node.timers.delete(t);
    },
    clearInterval(t) {
      if (!t) return;
      clearInterval(t);
      node.timers.delete(t);
    },
  };
}

export function createNodeContext(node: RunningNode, engine: EngineServices, send: Send): NodeContext {
  let context: ContextApi | undefined;
  let env: EnvScope | undefined;
  return {
    id: node.id,
    type: node.type,
    name: node.name,
    z: node.flow,
    ...(node.plan.alias ? { alias: node.plan.alias } : {}),
    wires: node.plan.wires,
    send,
    status: (s) => engine.setStatus(node, normalizeStatus(s)),
    log: (m) => engine.log(node, 'info', m),
    warn: (m) => engine.log(node, 'warn', m),
    debug: (m) => engine.log(node, 'debug', m),
    error: (err, msg) => engine.reportError(node, err, msg),
    context: () => (context ??= engine.context(node)),
    env: { get: (name) => (env ??= engine.env(node)).get(name) },
    timers: nodeTimers(node, engine),
    flowControl: engine.flowControl,
    configNode: <T>(id: string | undefined) => (id ? (engine.configNode(id) as T | undefined) : undefined),
    service: <T>(key: ServiceKey<T>) => engine.service(key.name) as T | undefined,
    publishDebug: (output) =>
      engine.publishDebug(node, { ...output, id: node.id, z: node.flow, ...(node.name ? { name: node.name } : {}) }),
    links: {
      deliver: (targetId, msg) => engine.deliver(targetId, msg),
      findLinkIn: (nameOrId) => engine.findLinkIn(node, nameOrId),
    },
    settings: engine.settings,
  };
}
