import type { EnvEntry } from './model/flow-document.js';

/**
 * One level of Node-RED's env lookup chain: node → groups → subflow instance → tab → global → process.env.
 * Each level answers its own names and its NR_* specials, then asks its parent.
 */
export interface EnvScope {
  get(name: string): unknown;
}

export interface EnvLevelOptions {
  parent: EnvScope;
  env?: EnvEntry[] | undefined;
  /** NR_FLOW_ID, NR_GROUP_NAME and the like for this level. */
  specials?: Record<string, unknown>;
}

export function convertEnvValue(entry: EnvEntry, lookup: (name: string) => unknown): unknown {
  const { type, value } = entry;
  switch (type) {
    case 'num':
      return Number(value);
    case 'bool':
      return value === true || value === 'true';
    case 'json':
      try {
        return typeof value === 'string' ? JSON.parse(value) : value;
      } catch {
        return value;
      }
    case 'env':
      return lookup(String(value));
    case 'bin':
      try {
        return Buffer.from(JSON.parse(String(value)) as number[]);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

export function createEnvLevel(options: EnvLevelOptions): EnvScope {
  const values = new Map<string, unknown>();
  for (const entry of options.env ?? []) {
    if (!entry || typeof entry.name !== 'string') continue;
    values.set(
      entry.name,
      convertEnvValue(entry, (n) => (n === entry.name ? options.parent.get(n) : scope.get(n))),
    );
  }
  const scope: EnvScope = {
    get(name) {
      if (name.startsWith('$parent.')) return options.parent.get(name.slice(8));
      if (options.specials && name in options.specials) return options.specials[name];
      if (values.has(name)) return values.get(name);
      return options.parent.get(name);
    },
  };
  return scope;
}

export function createRootEnv(settingsEnv: Record<string, string>, processEnv: NodeJS.ProcessEnv = process.env): EnvScope {
  return {
    get(name) {
      if (name in settingsEnv) return settingsEnv[name];
      return processEnv[name];
    },
  };
}

const ENV_PROPERTY = /^\$\{([^}\s]+)\}$|^\$\(([^)\s]+)\)$/;

/** Replaces every string property that is exactly `${NAME}` (or the old `$(NAME)`) with its env value. */
export function substituteEnv<T>(value: T, env: EnvScope): T {
  if (typeof value === 'string') {
    const m = ENV_PROPERTY.exec(value);
    if (!m) return value;
    const resolved = env.get((m[1] ?? m[2]) as string);
    return (resolved === undefined ? value : resolved) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => substituteEnv(v, env)) as T;
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env);
    return out as T;
  }
  return value;
}
