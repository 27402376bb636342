import type { ContextStore } from './types.js';

export function createMemoryStore(): ContextStore {
  const data = new Map<string, Map<string, unknown>>();
  return {
    get: (scope, key) => data.get(scope)?.get(key),
    set(scope, key, value) {
      let s = data.get(scope);
      if (!s) data.set(scope, (s = new Map()));
      if (value === undefined) s.delete(key);
      else s.set(key, value);
    },
    keys: (scope) => [...(data.get(scope)?.keys() ?? [])],
    delete: (scope) => void data.delete(scope),
    scopes: () => [...data.keys()],
  };
}
