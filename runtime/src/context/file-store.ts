import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryStore } from './memory-store.js';
import type { ContextStore } from './types.js';

export interface FileStoreOptions {
  dir: string;
  /** How often dirty scopes are written (Node-RED's localfilesystem default is 30 s). */
  flushIntervalMs?: number;
  onError?: (err: unknown) => void;
}

const fileOf = (dir: string, scope: string) => join(dir, `${encodeURIComponent(scope)}.json`);

/**
 * Persistent context: a memory cache loaded at open, each scope a JSON file,
 * dirty scopes flushed on an interval and on close (written to a temp file, then renamed).
 */
export function createFileStore(options: FileStoreOptions): ContextStore {
  const cache = createMemoryStore();
  const dirty = new Set<string>();
  const deleted = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function flushOnce(): Promise<void> {
    const scopes = [...dirty];
    dirty.clear();
    const gone = [...deleted];
    deleted.clear();
    await mkdir(options.dir, { recursive: true });
    for (const scope of gone) await rm(fileOf(options.dir, scope), { force: true });
    for (const scope of scopes) {
      const obj: Record<string, unknown> = {};
      for (const key of cache.keys(scope)) obj[key] = cache.get(scope, key);
      const file = fileOf(options.dir, scope);
      await writeFile(`${file}.tmp`, JSON.stringify(obj));
      await rename(`${file}.tmp`, file);
    }
  }
  const flush = (): Promise<void> => {
    flushing = flushing.then(flushOnce).catch((err: unknown) => options.onError?.(err));
    return flushing;
  };

  return {
    get: cache.get,
    set(scope, key, value) {
      cache.set(scope, key, value);
      dirty.add(scope);
      deleted.delete(scope);
    },
    keys: cache.keys,
    delete(scope) {
      cache.delete(scope);
      dirty.delete(scope);
      deleted.add(scope);
    },
    scopes: cache.scopes,
    async open() {
      await mkdir(options.dir, { recursive: true });
      for (const name of await readdir(options.dir)) {
        if (!name.endsWith('.json')) continue;
        const scope = decodeURIComponent(name.slice(0, -5));
        const obj = JSON.parse(await readFile(join(options.dir, name), 'utf8')) as Record<string, unknown>;
        for (const [k, v] of Object.entries(obj)) cache.set(scope, k, v);
      }
      timer = setInterval(() => void flush(), options.flushIntervalMs ?? 30_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
