import type { z } from 'zod';
import type { Msg, SendArg } from './message.js';
import type { ContextApi } from './context/types.js';

export type NodeCategory = 'core' | 'device' | 'stream' | 'storage' | 'etl' | 'app' | 'config';

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

/** What the debug node (or any node) publishes for the editor's debug sidebar. */
export interface DebugOutput {
  id: string;
  z?: string;
  name?: string;
  topic?: string;
  property: string;
  msg: unknown;
  format?: string;
  path?: string;
}

export type Send = (msg: SendArg) => void;
export type Done = (err?: unknown) => void;

/** The handlers a node instance gives back from `create`. */
export interface NodeHandlers<Api = unknown> {
  input?(msg: Msg, send: Send, done: Done): void | Promise<void>;
  /** `removed` is true when the node is deleted by the deploy, false when it is restarted. */
  close?(removed: boolean): void | Promise<void>;
  /** For config nodes: what nodes that use it get from `ctx.configNode(id)`. */
  api?: Api;
}

/** Back-pressure as a source sees it. */
export interface FlowControl {
  readonly paused: boolean;
  /** Resolves at once when the runtime has room, else when it has drained below its low-water mark. */
  ready(): Promise<void>;
  onChange(listener: (paused: boolean) => void): () => void;
}

/** Timers owned by a node: cleared when it closes; an exception inside fails the node, not the process. */
export interface NodeTimers {
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
  setInterval(fn: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(t: NodeJS.Timeout | undefined): void;
  clearInterval(t: NodeJS.Timeout | undefined): void;
}

/** A typed key for a host-provided service (device broker, HTTP router, QuestDB writer, ...). */
export interface ServiceKey<T> {
  readonly name: string;
  /** Phantom field carrying T; never read. */
  readonly __type?: T;
}
export function serviceKey<T>(name: string): ServiceKey<T> {
  return { name };
}

export interface EnvApi {
  get(name: string): unknown;
}

/** Everything a node may ask the runtime for. */
export interface NodeContext {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  /** The flow (tab or subflow instance) the node runs in. */
  readonly z: string;
  /** For nodes inside a subflow instance: the id inside the subflow definition. */
  readonly alias?: string;
  readonly wires: readonly (readonly string[])[];
  send: Send;
  status(status: NodeStatus | string): void;
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Reports an error; with a message it also goes to catch nodes, as node.error(err, msg). */
  error(err: unknown, msg?: Msg): void;
  context(): ContextApi;
  env: EnvApi;
  timers: NodeTimers;
  flowControl: FlowControl;
  /** The api of a config node, by id; undefined when missing or not started. */
  configNode<T = unknown>(id: string | undefined): T | undefined;
  service<T>(key: ServiceKey<T>): T | undefined;
  /** Publishes output for the debug sidebar (used by the debug node). */
  publishDebug(output: Omit<DebugOutput, 'id' | 'z' | 'name'>): void;
  /** Routing helpers for link nodes. */
  links: LinkApi;
  /** Evaluate-on-deploy settings the host passed in (function node time limit and the like). */
  settings: RuntimeSettings;
}

export interface LinkApi {
  /** Delivers to the input of any node by id (link out, link call). */
  deliver(targetId: string, msg: Msg): boolean;
  /** Finds link in nodes by name or id, in this flow first, then on all tabs. */
  findLinkIn(nameOrId: string): string[];
}

export interface RuntimeSettings {
  /** Time limit for a function node's synchronous run. */
  functionTimeoutMs: number;
  /** How long close() may take before the node is reported as overrunning. */
  closeTimeoutMs: number;
  /** Extra globals the function node's `global.get` and `env` see. */
  functionGlobalContext: Record<string, unknown>;
  /** Process-level env values for `env.get`, looked up before process.env. */
  env: Record<string, string>;
  /**
   * Node-RED's `nodeMessageBufferMaxLength`: most messages a node (delay, join, sort, batch) may
   * hold before it drops them with an error. 0 or absent: no limit, as in Node-RED.
   */
  nodeMessageBufferMaxLength?: number;
}

/** Special roles the runtime routes by itself. */
export type NodeRole = 'catch' | 'status' | 'complete' | 'link-in' | 'link-out' | 'link-call' | 'junction' | 'comment';

export interface NodeDefinition<C extends z.ZodType = z.ZodType, Api = unknown> {
  type: string;
  /** Bumped when the stored config changes shape; `migrate` brings older configs up. */
  version?: number;
  category: NodeCategory;
  inputs: 0 | 1;
  /** Fixed count, or derived from the node's own properties (switch rules, function outputs). */
  outputs: number | ((raw: Record<string, unknown>) => number);
  config: C;
  role?: NodeRole;
  /** Config nodes live outside tabs and are started before the nodes that use them. */
  isConfig?: boolean;
  /**
   * Node-RED's function, template, delay and debug nodes copy `name` from their config even when
   * it is "", so the `source` of their errors, statuses and completions has `name: ""`; every
   * other node has a name only when it is not empty.
   */
  keepsEmptyName?: boolean;
  label?: string;
  paletteLabel?: string;
  icon?: string;
  color?: string;
  help?: string;
  /** Output port labels, shown on hover in the editor. */
  outputLabels?: string[];
  migrate?(raw: Record<string, unknown>, fromVersion: number): Record<string, unknown>;
  create(ctx: NodeContext, config: z.infer<C>): NodeHandlers<Api> | Promise<NodeHandlers<Api>>;
}

export type AnyNodeDefinition = NodeDefinition<z.ZodType, unknown>;

/**
 * What `defineNode` takes: `config` may also be a function that builds the schema, called on the
 * first read of `config`. A process that imports every node type but runs a few (the edge agent)
 * then builds only those schemas: each holds zod objects for as long as it runs (issue 6).
 */
export type NodeDefinitionInput<C extends z.ZodType = z.ZodType, Api = unknown> = Omit<NodeDefinition<C, Api>, 'config'> & {
  config: C | (() => C);
};

export function defineNode<C extends z.ZodType, Api = unknown>(def: NodeDefinitionInput<C, Api>): NodeDefinition<C, Api> {
  const { config } = def;
  if (typeof config !== 'function') return def as NodeDefinition<C, Api>;
  let schema: C | undefined;
  const lazy = { ...def } as NodeDefinition<C, Api>;
  return Object.defineProperty(lazy, 'config', { get: () => (schema ??= config()), enumerable: true, configurable: true });
}
