import type { AnyNodeDefinition } from './define-node.js';
import type { NodeProblem } from './errors.js';
import type { EnvScope } from './env.js';
import { substituteEnv } from './env.js';
import type { FlowNode } from './model/flow-document.js';

export interface ConfigResult {
  ok: boolean;
  config?: unknown;
  problems: NodeProblem[];
}

/** Migrates an older stored config, substitutes `${ENV}` properties and validates against the node's schema. */
export function resolveNodeConfig(def: AnyNodeDefinition, raw: FlowNode, env: EnvScope, nodeId = raw.id): ConfigResult {
  let props: Record<string, unknown> = raw;
  const stored = typeof raw['_version'] === 'number' ? raw['_version'] : 1;
  if (def.migrate && def.version !== undefined && stored < def.version) {
    try {
      props = def.migrate({ ...raw }, stored);
    } catch (err) {
      return {
        ok: false,
        problems: [{ nodeId, type: def.type, message: `config migration from version ${stored} failed: ${String(err)}` }],
      };
    }
  }
  const substituted = substituteEnv(props, env);
  const result = def.config.safeParse(substituted);
  if (result.success) return { ok: true, config: result.data, problems: [] };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      nodeId,
      type: def.type,
      ...(issue.path.length ? { property: issue.path.map(String).join('.') } : {}),
      message: issue.message,
    })),
  };
}
