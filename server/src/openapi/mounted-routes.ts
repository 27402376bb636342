import { METHODS } from 'node:http';

/** A route an Express app really serves: method in upper case, Express path syntax. */
export interface MountedRoute {
  method: string;
  path: string;
}

/**
 * The parts of Express 5's router (the `router` package, 2.x) that say what is mounted. They are
 * not part of Express's typed API, so they are read defensively here: a layer is either a route
 * (`route.path`, `route.methods`) or a middleware whose handle may be a router with its own stack,
 * mounted at `rawPath`.
 */
interface LayerLike {
  rawPath?: unknown;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
}

const isLayers = (value: unknown): value is LayerLike[] => Array.isArray(value);

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

function pathsOf(raw: unknown): string[] | undefined {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((p) => typeof p === 'string')) return raw as string[];
  // A RegExp path cannot be listed as a path.
  return undefined;
}

function walk(layers: LayerLike[], prefix: string, out: MountedRoute[]): void {
  for (const layer of layers) {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods ?? {})
        .filter(([, on]) => on)
        .map(([m]) => m.toUpperCase());
      // `app.all()` sets every method (Express 5) or `_all` (older routers): one ALL entry says it.
      const all = methods.includes('_ALL') || METHODS.every((m) => methods.includes(m));
      for (const path of pathsOf(layer.route.path) ?? []) {
        for (const method of all ? ['ALL'] : methods) out.push({ method, path: join(prefix, path) });
      }
      continue;
    }
    const stack = layer.handle?.stack;
    if (!isLayers(stack)) continue;
    for (const path of pathsOf(layer.rawPath) ?? ['/']) walk(stack, join(prefix, path), out);
  }
}

/**
 * Every route of an Express app, mounted routers included: what the OpenAPI test compares the
 * document with. `app` is an Express application (its `router` getter gives the root router).
 */
export function mountedRoutes(app: { router: unknown }): MountedRoute[] {
  const out: MountedRoute[] = [];
  const root = app.router as { stack?: unknown } | undefined;
  if (root && isLayers(root.stack)) walk(root.stack, '', out);
  return out;
}
