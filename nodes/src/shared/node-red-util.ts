import type { ContextApi, EnvApi } from '@gridflow/runtime';
import { requireDeferring } from './require-deferred.js';

/**
 * Node-RED's own message and property helpers (@node-red/util), typed, so that property
 * paths, typed inputs and JSONata behave exactly as they do in Node-RED.
 */
export interface JsonataExpression {
  assign(name: string, value: unknown): void;
  evaluate(input: unknown, bindings?: Record<string, unknown>, callback?: (err: Error | null, result?: unknown) => void): unknown;
}

/** The slice of a Node-RED node object that @node-red/util reads. */
export interface NodeRedNodeShim {
  id: string;
  name: string;
  context(): ContextApi;
  _flow: { getSetting(name: string): unknown };
}

interface NodeRedUtil {
  getMessageProperty(msg: object, expr: string): unknown;
  setMessageProperty(msg: object, prop: string, value: unknown, createMissing?: boolean): boolean;
  getObjectProperty(obj: object, expr: string): unknown;
  setObjectProperty(obj: object, prop: string, value: unknown, createMissing?: boolean): boolean;
  normalisePropertyExpression(expr: string, msg?: object, toString?: boolean): (string | number)[] | string;
  evaluateNodeProperty(
    value: unknown,
    type: string,
    node: NodeRedNodeShim | null,
    msg: object | null,
    callback?: (err: Error | null, result?: unknown) => void,
  ): unknown;
  prepareJSONataExpression(expr: string, node: NodeRedNodeShim | null): JsonataExpression;
  evaluateJSONataExpression(
    expr: JsonataExpression,
    msg: object,
    callback?: (err: Error | null, result?: unknown) => void,
  ): unknown;
  parseContextStore(key: string): { key: string; store?: string };
  compareObjects(a: unknown, b: unknown): boolean;
  ensureString(v: unknown): string;
  ensureBuffer(v: unknown): Buffer;
  encodeObject(msg: { msg: unknown; format?: string }, opts?: { maxLength?: number }): { msg: string; format?: string };
}

/**
 * @node-red/util (with moment-timezone, jsonata and i18next behind it) is required on the first
 * call, not at import: an agent whose flows never touch a property path does not pay its memory;
 * and its moment-timezone, jsonata and logger only once a date format, an expression or a log needs them.
 * Kept once loaded: these calls sit on every message's path.
 */
let loaded: NodeRedUtil | undefined;
const load = (): NodeRedUtil =>
  (loaded ??= requireDeferring('@node-red/util/lib/util', /@node-red[\\/]util[\\/]lib[\\/]util\.js$/, [
    'moment-timezone',
    './jsonata',
    './log',
  ]) as NodeRedUtil);

/** Forwards every call to the loaded @node-red/util function of the same name. */
function forward<K extends keyof NodeRedUtil>(name: K): NodeRedUtil[K] {
  const call = (...args: unknown[]): unknown => (load()[name] as (...a: unknown[]) => unknown)(...args);
  return call as NodeRedUtil[K];
}

export const nrUtil: NodeRedUtil = {
  getMessageProperty: forward('getMessageProperty'),
  setMessageProperty: forward('setMessageProperty'),
  getObjectProperty: forward('getObjectProperty'),
  setObjectProperty: forward('setObjectProperty'),
  normalisePropertyExpression: forward('normalisePropertyExpression'),
  evaluateNodeProperty: forward('evaluateNodeProperty'),
  prepareJSONataExpression: forward('prepareJSONataExpression'),
  evaluateJSONataExpression: forward('evaluateJSONataExpression'),
  parseContextStore: forward('parseContextStore'),
  compareObjects: forward('compareObjects'),
  ensureString: forward('ensureString'),
  ensureBuffer: forward('ensureBuffer'),
  encodeObject: forward('encodeObject'),
};

/** Builds the node shim @node-red/util expects from a Gridflow node context. */
export function nodeShim(ctx: { id: string; name: string; context(): ContextApi; env: EnvApi }): NodeRedNodeShim {
  return { id: ctx.id, name: ctx.name, context: () => ctx.context(), _flow: { getSetting: (name) => ctx.env.get(name) } };
}
