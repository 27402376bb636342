import type { AnyNodeDefinition } from './define-node.js';

export interface Registry {
  get(type: string): AnyNodeDefinition | undefined;
  has(type: string): boolean;
  types(): string[];
  definitions(): AnyNodeDefinition[];
}

/** A registry instance: importing a node module registers nothing, each host builds its own. */
export function createRegistry(definitions: readonly AnyNodeDefinition[]): Registry {
  const byType = new Map<string, AnyNodeDefinition>();
  for (const def of definitions) {
    if (byType.has(def.type)) throw new Error(`node type "${def.type}" is defined twice`);
    byType.set(def.type, def);
  }
  return {
    get: (type) => byType.get(type),
    has: (type) => byType.has(type),
    types: () => [...byType.keys()],
    definitions: () => [...byType.values()],
  };
}
