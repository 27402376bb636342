import { match, type MatchFunction } from 'path-to-regexp';
import type { EndpointRoute } from '@gridflow/nodes/app';

export interface RouteEntry<H> {
  route: EndpointRoute;
  matcher: MatchFunction<Record<string, string | string[]>>;
  handler: H;
}

/** Routes that flows add and remove at deploy time (Express cannot remove its own routes). */
export function createRouteTable<H>() {
  const entries: RouteEntry<H>[] = [];
  return {
    add(route: EndpointRoute, handler: H): () => void {
      const clash = entries.find((e) => e.route.method === route.method && e.route.path === route.path);
      if (clash) throw new Error(`${route.method.toUpperCase()} ${route.path} is already served by node ${clash.route.owner}`);
      let matcher: RouteEntry<H>['matcher'];
      try {
        matcher = match<Record<string, string | string[]>>(route.path, { decode: decodeURIComponent });
      } catch (err) {
        throw new Error(`invalid url "${route.path}": ${(err as Error).message}`);
      }
      const entry = { route, matcher, handler };
      entries.push(entry);
      return () => {
        const i = entries.indexOf(entry);
        if (i >= 0) entries.splice(i, 1);
      };
    },
    find(method: string, path: string): { entry: RouteEntry<H>; params: Record<string, string> } | undefined {
      for (const entry of entries) {
        if (entry.route.method !== method) continue;
        const m = entry.matcher(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.params)) params[k] = Array.isArray(v) ? v.join('/') : String(v);
        return { entry, params };
      }
      return undefined;
    },
    size: () => entries.length,
  };
}
