import type { MeResponse, NodeCatalogEntry } from '@gridflow/runtime/contract';
import type { JsonSchema, NodeTypeInfo } from '../model/index.js';
import { createStore } from './store.js';

export interface SessionState {
  /** undefined while checking, null when signed out. */
  user: MeResponse | null | undefined;
  /** Node types by type name, from the server's catalog. */
  catalog: ReadonlyMap<string, NodeTypeInfo>;
}

export const session = createStore<SessionState>({ user: undefined, catalog: new Map() });

export function toTypeInfo(entry: NodeCatalogEntry): NodeTypeInfo {
  return { ...entry, schema: entry.schema as JsonSchema };
}

export const canDeploy = (s: SessionState): boolean => s.user?.permissions.deploy === true;
