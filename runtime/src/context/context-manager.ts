import type { ContextApi, ContextScope, ContextStore } from './types.js';

export interface ContextManagerOptions {
  stores?: Record<string, ContextStore>;
  /** Name of the store used when none is named; defaults to the first one. */
  defaultStore?: string;
  /** Values `global.get` returns when nothing was set (Node-RED's functionGlobalContext). */
  globalDefaults?: Record<string, unknown>;
}

export interface ContextManager {
  forNode(nodeId: string, flowId: string, parentFlowId?: string): ContextApi;
  /** Drops the node scope of deleted nodes, and the flow scope of deleted flows. */
  deleteScope(scope: string): void;
  open(): Promise<void>;
  close(): Promise<void>;
  storeNames(): string[];
}

const PREFIX = /^#:\((\S+?)\)::(.*)$/;

// Node-RED's nested key syntax: `a.b[0].c`, `a["b"]`.
function parseKey(key: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key))) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push((m[3] ?? m[4]) as string);
  }
  return parts;
}

function getPath(root: unknown, path: (string | number)[]): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function createContextManager(options: ContextManagerOptions = {}): ContextManager {
  const stores: Record<string, ContextStore> = options.stores ?? {};
  if (Object.keys(stores).length === 0) throw new Error('context manager needs at least one store');
  const names = Object.keys(stores);
  const defaultName = options.defaultStore ?? (names[0] as string);
  if (!stores[defaultName]) throw new Error(`default context store "${defaultName}" is not configured`);

  function pick(name: string | undefined): ContextStore {
    const store = stores[name ?? defaultName];
    if (!store) throw new Error(`unknown context store "${name}" (configured: ${names.join(', ')})`);
    return store;
  }

  function split(key: string, store: string | undefined): { key: string; store: string | undefined } {
    const m = PREFIX.exec(key);
    return m ? { store: m[1], key: m[2] as string } : { key, store };
  }

  function readOne(scope: string, rawKey: string, storeName: string | undefined, fallback?: Record<string, unknown>) {
    const { key, store } = split(rawKey, storeName);
    const path = parseKey(key);
    const head = path[0];
    if (head === undefined) return undefined;
    const s = pick(store);
    let value = s.get(scope, String(head));
    if (value === undefined && fallback) value = fallback[String(head)];
    return path.length === 1 ? value : getPath(value, path.slice(1));
  }

  function writeOne(scope: string, rawKey: string, value: unknown, storeName: string | undefined) {
    const { key, store } = split(rawKey, storeName);
    const path = parseKey(key);
    const head = path[0];
    if (head === undefined) throw new Error(`invalid context key "${rawKey}"`);
    const s = pick(store);
    if (path.length === 1) return s.set(scope, String(head), value);
    const root = s.get(scope, String(head));
    const obj = (root !== null && typeof root === 'object' ? root : {}) as Record<string | number, unknown>;
    let cur: Record<string | number, unknown> = obj;
    for (let i = 1; i < path.length - 1; i++) {
      const p = path[i] as string | number;
      const next = cur[p];
      if (next === null || typeof next !== 'object') cur[p] = typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[p] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1] as string | number;
    if (value === undefined) delete cur[last];
    else cur[last] = value;
    s.set(scope, String(head), obj);
  }

  function scopeApi(scope: string, fallback?: Record<string, unknown>, parent?: ContextScope): ContextScope {
    const api: ContextScope = {
      get(key, store, cb) {
        if (typeof store === 'function') return api.get(key, undefined, store);
        try {
          if (typeof key === 'string' && key.startsWith('$parent.') && parent) {
            return parent.get(key.slice(8), store, cb);
          }
          const value = Array.isArray(key)
            ? key.map((k) => readOne(scope, k, store, fallback))
            : readOne(scope, key, store, fallback);
          if (cb) {
            if (Array.isArray(value)) cb(null, ...(value as [unknown]));
            else cb(null, value);
            return undefined;
          }
          return value;
        } catch (err) {
          if (cb) return cb(err as Error);
          throw err;
        }
      },
      set(key, value, store, cb) {
        if (typeof store === 'function') return api.set(key, value, undefined, store);
        try {
          if (typeof key === 'string' && key.startsWith('$parent.') && parent) {
            return parent.set(key.slice(8), value, store, cb);
          }
          if (Array.isArray(key)) {
            const values = Array.isArray(value) ? value : [value];
            key.forEach((k, i) => writeOne(scope, k, values[i], store));
          } else writeOne(scope, key, value, store);
          cb?.(null);
        } catch (err) {
          if (cb) return cb(err as Error);
          throw err;
        }
      },
      keys(store, cb) {
        if (typeof store === 'function') return api.keys(undefined, store);
        const keys = pick(store).keys(scope);
        if (fallback && (store === undefined || store === defaultName)) {
          for (const k of Object.keys(fallback)) if (!keys.includes(k)) keys.push(k);
        }
        if (cb) {
          cb(null, keys);
          return undefined;
        }
        return keys;
      },
    };
    return api;
  }

  const globalScope = scopeApi('global', options.globalDefaults);
  const flowScopes = new Map<string, ContextScope>();
  const flowScope = (flowId: string, parentFlowId?: string): ContextScope => {
    let s = flowScopes.get(flowId);
    if (!s) {
      s = scopeApi(flowId, undefined, parentFlowId ? flowScope(parentFlowId) : undefined);
      flowScopes.set(flowId, s);
    }
    return s;
  };

  return {
    forNode(nodeId, flowId, parentFlowId) {
      return { node: scopeApi(`${nodeId}:${flowId}`), flow: flowScope(flowId, parentFlowId), global: globalScope };
    },
    deleteScope(scope) {
      flowScopes.delete(scope);
      for (const s of Object.values(stores)) {
        s.delete(scope);
        for (const name of s.scopes()) if (name.startsWith(`${scope}:`)) s.delete(name);
      }
    },
    async open() {
      for (const s of Object.values(stores)) await s.open?.();
    },
    async close() {
      for (const s of Object.values(stores)) await s.close?.();
    },
    storeNames: () => names,
  };
}
