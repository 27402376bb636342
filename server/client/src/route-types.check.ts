/**
 * Compile-time tests of the derived types: part of the package's build, so `tsc -b` fails when a
 * route's arguments or answer stop matching the contract. Nothing here runs.
 */
import type { AlertsResponse, DeployResponse, Device, FlowsResponse } from '@gridflow/runtime/contract';
import type { GridflowApi, PathParamNames, RouteArgs, RouteResult } from './route-types.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type RouteTypeChecks = [
  Expect<Equal<PathParamNames<'/api/devices/:productKey/:deviceKey/points'>, 'productKey' | 'deviceKey'>>,
  Expect<Equal<PathParamNames<'/api/flows'>, never>>,
  Expect<Equal<RouteResult<'getFlows'>, FlowsResponse>>,
  Expect<Equal<RouteResult<'deploy'>, DeployResponse>>,
  Expect<Equal<RouteResult<'listAlerts'>, AlertsResponse>>,
  Expect<Equal<RouteResult<'getDevice'>, Device>>,
  Expect<Equal<RouteResult<'deleteUser'>, void>>,
  Expect<Equal<RouteResult<'edgePackage'>, ArrayBuffer>>,
  Expect<Equal<RouteArgs<'getDevice'>['params'], Record<'productKey' | 'deviceKey', string | number>>>,
  // No required argument: the call may be made without one.
  Expect<Equal<Parameters<GridflowApi['getFlows']>, [args?: RouteArgs<'getFlows'>]>>,
  // A body without a default is required.
  Expect<Equal<Parameters<GridflowApi['deploy']>['length'], 1>>,
];
