import type { RuntimeSettings } from './define-node.js';
import type { ContextManagerOptions } from './context/context-manager.js';
import type { NodeProblem } from './errors.js';
import type { DeployEvent, MetricsSnapshot, RuntimeEvents } from './events.js';
import type { Msg } from './message.js';
import type { DeployType } from './model/diff.js';
import type { FlowDocument } from './model/flow-document.js';
import type { NodeStatus } from './define-node.js';
import type { Registry } from './registry.js';
import type { SchedulerOptions } from './scheduler.js';

export interface RuntimeOptions {
  registry: Registry;
  settings?: Partial<RuntimeSettings>;
  /** Context stores; an in-memory store named `memory` when not given. */
  context?: ContextManagerOptions;
  /** Host services nodes may ask for by key (device broker, HTTP router, ...). */
  services?: Record<string, unknown>;
  scheduler?: Partial<SchedulerOptions>;
  /** How often a `metrics` event is emitted while someone listens (ms). */
  metricsIntervalMs?: number;
  processEnv?: NodeJS.ProcessEnv;
  /** Cloud runtimes run tabs without a target, edge agents the tabs targeted at edges. */
  host?: 'cloud' | 'edge';
}

export type DeployResult = DeployEvent;

export interface Runtime {
  readonly events: RuntimeEvents;
  /** Validates, then stops what changed and starts the new nodes; throws FlowValidationError and changes nothing when invalid. */
  deploy(doc: unknown, type?: DeployType): Promise<DeployResult>;
  /** Stops every node; the runtime can be deployed to again afterwards. */
  stop(): Promise<{ overran: string[] }>;
  /** Closes context stores too; the runtime is finished. */
  close(): Promise<{ overran: string[] }>;
  /** Delivers a message to a node's input (the editor's inject button, tests). */
  receive(nodeId: string, msg?: Partial<Msg>): boolean;
  flows(): FlowDocument;
  metrics(): MetricsSnapshot;
  statuses(): { id: string; status: NodeStatus }[];
  /** Resolves when the delivery queue is empty. */
  idle(): Promise<void>;
  /** Validates a document without deploying it; returns the problems found. */
  check(doc: unknown): NodeProblem[];
}
