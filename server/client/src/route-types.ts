import type { z } from 'zod';
import type { ApiRouteName, ApiRoutes } from '@gridflow/runtime/contract';

/** The `:name` segments of an Express-style path: `'/api/devices/:productKey/:deviceKey'` → `'productKey' | 'deviceKey'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ParamsArg<R> = R extends { path: infer P extends string }
  ? [PathParamNames<P>] extends [never]
    ? unknown
    : { params: Record<PathParamNames<P>, string | number> }
  : unknown;

// A body whose schema accepts undefined (it has a default) may be left out.
type BodyArg<R> = R extends { body: infer B extends z.ZodType }
  ? undefined extends z.input<B>
    ? { body?: z.input<B> }
    : { body: z.input<B> }
  : unknown;

type QueryArg<R> = R extends { query: infer Q extends z.ZodType } ? { query?: z.input<Q> } : unknown;

/** What a call of route N takes: path parameters, body and query as the contract declares them. */
export type RouteArgs<N extends ApiRouteName> = ParamsArg<ApiRoutes[N]> &
  BodyArg<ApiRoutes[N]> &
  QueryArg<ApiRoutes[N]> & {
    /** Aborts the request. */
    signal?: AbortSignal;
  };

/** What a call of route N resolves to: the parsed JSON answer, the bytes of a download, or nothing for 204. */
export type RouteResult<N extends ApiRouteName> = ApiRoutes[N] extends { file: string }
  ? ArrayBuffer
  : ApiRoutes[N] extends { response: infer S extends z.ZodType }
    ? z.output<S>
    : void;

/** A typed function for route N; the argument may be left out when nothing in it is required. */
export type RouteFunction<N extends ApiRouteName> =
  object extends RouteArgs<N>
    ? (args?: RouteArgs<N>) => Promise<RouteResult<N>>
    : (args: RouteArgs<N>) => Promise<RouteResult<N>>;

/** One typed function per route of the contract's route table, named as the route. */
export type GridflowApi = { [N in ApiRouteName]: RouteFunction<N> };
