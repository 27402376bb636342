export type ContextCallback = (err: Error | null, value?: unknown) => void;

/**
 * One context scope as Node-RED exposes it: sync when no callback is given,
 * callback style otherwise. A key may carry a store prefix: `#:(file)::count`.
 */
export interface ContextScope {
  get(key: string | string[], store?: string | ContextCallback, cb?: ContextCallback): unknown;
  set(key: string | string[], value?: unknown, store?: string | ContextCallback, cb?: ContextCallback): void;
  keys(store?: string | ContextCallback, cb?: ContextCallback): string[] | undefined;
}

export interface ContextApi {
  node: ContextScope;
  flow: ContextScope;
  global: ContextScope;
}

/** A context store: all methods are synchronous over an in-memory cache; persistence is the store's job. */
export interface ContextStore {
  get(scope: string, key: string): unknown;
  set(scope: string, key: string, value: unknown): void;
  keys(scope: string): string[];
  delete(scope: string): void;
  /** Scopes present in the store (for cleaning up after deleted nodes). */
  scopes(): string[];
  open?(): Promise<void>;
  close?(): Promise<void>;
}
