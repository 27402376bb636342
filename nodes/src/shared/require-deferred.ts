import { createRequire } from 'node:module';

/** The part of Node's CommonJS loader this module hooks for the duration of one require. */
interface CjsLoader {
  _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown;
}

const require = createRequire(import.meta.url);
const Module = require('node:module') as unknown as CjsLoader;

/**
 * A stand-in for a module that is required only when first used: called, read or tested with
 * `in`, it loads the real module and forwards. The target is a function so that modules
 * exporting a function (moment, jsonata) can be called through it.
 */
function deferredModule(load: () => unknown): unknown {
  let real: unknown;
  const get = (): Record<PropertyKey, unknown> => (real ??= load()) as Record<PropertyKey, unknown>;
  return new Proxy(function deferred() {}, {
    apply: (_target, self, args: unknown[]) =>
      Reflect.apply(get() as unknown as (...a: unknown[]) => unknown, self, args),
    get: (_target, key) => get()[key],
    has: (_target, key) => key in get(),
  });
}

/**
 * Requires `id` with the listed requests of the module `parentFile` (matched against the end of
 * its filename) deferred until first use. For libraries that require heavy helpers at the top of
 * a file but touch them only inside functions: @node-red/util requires moment-timezone (which
 * unpacks every time zone), jsonata and its i18n logger although a property path needs none.
 */
export function requireDeferring(id: string, parentFile: RegExp, deferred: readonly string[]): unknown {
  const load = Module._load;
  Module._load = function (this: unknown, request, parent, isMain) {
    if (parent?.filename && parentFile.test(parent.filename) && deferred.includes(request))
      return deferredModule(() => load.call(this, request, parent, isMain));
    return load.call(this, request, parent, isMain);
  };
  try {
    return require(id);
  } finally {
    Module._load = load;
  }
}
