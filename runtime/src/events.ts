import type { DebugOutput, NodeStatus } from './define-node.js';
import type { DeployType } from './model/diff.js';

export interface LogEvent {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  id?: string;
  type?: string;
  z?: string;
  name?: string;
}

export interface NodeErrorEvent {
  id: string;
  type: string;
  z: string;
  name: string;
  message: string;
  /** True when a catch node received it. */
  handled: boolean;
  msgid?: string;
}

export interface NodeCounters {
  id: string;
  type: string;
  z: string;
  in: number;
  out: number;
  errors: number;
  /** Messages waiting in the scheduler for this node. */
  queued: number;
}

export interface MetricsSnapshot {
  time: number;
  queueDepth: number;
  paused: boolean;
  nodes: NodeCounters[];
}

export interface DeployEvent {
  type: DeployType;
  rev?: string;
  started: string[];
  stopped: string[];
  failed: { id: string; type: string; message: string }[];
  overran: string[];
}

export interface RuntimeEventMap {
  status: { id: string; z: string; status: NodeStatus };
  debug: DebugOutput;
  log: LogEvent;
  error: NodeErrorEvent;
  metrics: MetricsSnapshot;
  deploy: DeployEvent;
  pressure: { paused: boolean; depth: number };
}

export type RuntimeEventName = keyof RuntimeEventMap;
type Listener<K extends RuntimeEventName> = (event: RuntimeEventMap[K]) => void;

export interface RuntimeEvents {
  on<K extends RuntimeEventName>(name: K, listener: Listener<K>): () => void;
  off<K extends RuntimeEventName>(name: K, listener: Listener<K>): void;
  emit<K extends RuntimeEventName>(name: K, event: RuntimeEventMap[K]): void;
  listenerCount(name: RuntimeEventName): number;
}

export function createEvents(): RuntimeEvents {
  const listeners = new Map<RuntimeEventName, Set<(e: unknown) => void>>();
  const api: RuntimeEvents = {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (e: unknown) => void);
      return () => api.off(name, listener);
    },
    off(name, listener) {
      listeners.get(name)?.delete(listener as (e: unknown) => void);
    },
    emit(name, event) {
      const set = listeners.get(name);
      if (!set) return;
      for (const l of set) {
        try {
          l(event);
        } catch {
          // A failing listener must not break delivery; hosts log their own failures.
        }
      }
    },
    listenerCount: (name) => listeners.get(name)?.size ?? 0,
  };
  return api;
}
