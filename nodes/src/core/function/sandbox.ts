import util from 'node:util';
import vm from 'node:vm';
import { cloneMessage, generateId, type Msg, type NodeContext, type NodeStatus, type Send } from '@gridflow/runtime';
import type { ContextScope } from '@gridflow/runtime';
import { nodeShim, nrUtil } from '../../shared/node-red-util.js';
import { instrument, type CodeKind } from './instrument.js';
import type { FrameLocator } from './function-errors.js';
import { sendResults } from './send-results.js';
import type { TimeGuard } from './time-guard.js';

/**
 * The vm context a function node's code runs in, and the compiler that turns its three pieces of
 * code (body, setup, cleanup) into plain functions once, at deploy.
 *
 * Everything the code may use is handed to a factory as parameters, and the context's built-ins
 * are copied into the factory's scope once, because a global lookup inside a vm context goes
 * through an interceptor and costs far more than a closure variable.
 */
export type CloseListener =
  ((removed: boolean, done: () => void) => unknown) | ((done: () => void) => unknown) | (() => unknown);

export interface SandboxOptions {
  ctx: NodeContext;
  guard: TimeGuard;
  outputs: number;
}

export interface CompiledCode<F> {
  fn: F;
  usesAwait: boolean;
  callsNodeDone: boolean;
}

export interface Sandbox {
  compile<F>(kind: CodeKind, code: string): CompiledCode<F>;
  /** Finds the user's line and column in a stack frame of the compiled code of that kind. */
  locate(kind: CodeKind): FrameLocator;
  /** Listeners the code registered with node.on('close'). */
  closeListeners: CloseListener[];
  /** True once the code set a status, so that closing clears it (Node-RED's rule). */
  readonly statusSet: boolean;
}

const PARAMS = [
  '__gf$g',
  '__gf$b',
  '__node__',
  'RED',
  'context',
  'flow',
  'global',
  'env',
  'Buffer',
  'console',
  'util',
  'promisify',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'Date',
  'URL',
  'URLSearchParams',
];

const BUILTINS = [
  'Object',
  'Array',
  'JSON',
  'Math',
  'Number',
  'String',
  'Boolean',
  'Symbol',
  'BigInt',
  'RegExp',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
  'Promise',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'Proxy',
  'Reflect',
  'Intl',
  'ArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
  'encodeURI',
  'decodeURI',
  'globalThis',
];

const NODE_FIELDS =
  'id:__node__.id,name:__node__.name,path:__node__.path,outputCount:__node__.outputCount,log:__node__.log,' +
  'error:__node__.error,warn:__node__.warn,debug:__node__.debug,trace:__node__.trace,on:__node__.on,status:__node__.status';

const SIGNATURE: Record<CodeKind, { args: string; node: string }> = {
  body: {
    args: 'msg,__send__,__done__',
    node: `var __msgid__=msg._msgid;var node={${NODE_FIELDS},send:function(msgs,cloneMsg){__node__.send(__send__,__msgid__,msgs,cloneMsg);},done:__done__};`,
  },
  setup: {
    args: '__initSend__',
    node: `var node={${NODE_FIELDS},send:function(msgs,cloneMsg){__node__.send(__initSend__,RED.util.generateId(),msgs,cloneMsg);}};`,
  },
  cleanup: {
    args: '',
    node: `var node={${NODE_FIELDS},send:function(){__node__.error("Cannot send from close function");}};`,
  },
};

/**
 * A log line from what the code passed to node.warn/log/debug: text as it is, an error by its
 * message, anything else as JSON (Node-RED's sidebar shows the object itself).
 */
const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (util.types.isNativeError(v)) return v.message;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return util.inspect(v);
  }
};
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scopeProxy(scope: () => ContextScope) {
  return {
    get: (...a: Parameters<ContextScope['get']>) => scope().get(...a),
    set: (...a: Parameters<ContextScope['set']>) => scope().set(...a),
    keys: (...a: Parameters<ContextScope['keys']>) => scope().keys(...a),
  };
}

function toStatus(s: unknown): NodeStatus {
  if (s !== null && typeof s === 'object') return s as NodeStatus;
  return s === undefined || s === null ? {} : { text: String(s) };
}

export function createSandbox({ ctx, guard, outputs }: SandboxOptions): Sandbox {
  const shim = nodeShim(ctx);
  const filenames: Record<CodeKind, string> = {
    body: `function:${ctx.id}`,
    setup: `function setup:${ctx.id}`,
    cleanup: `function cleanup:${ctx.id}`,
  };
  const closeListeners: CloseListener[] = [];
  const columnMaps = new Map<CodeKind, (line: number, column: number) => number>();
  let statusSet = false;

  const locate = (kind: CodeKind): FrameLocator => {
    const re = new RegExp(`${escapeRe(filenames[kind])}:(\\d+):(\\d+)$`);
    return (frame) => {
      const m = re.exec(frame);
      if (!m) return undefined;
      // The compiled code's line 1 is the wrapper's; the user's code starts on line 2.
      const line = Number(m[1]) - 1;
      const map = columnMaps.get(kind);
      return { line, column: map ? map(line, Number(m[2])) : Number(m[2]) };
    };
  };

  // Node-RED reports an error thrown in a timer callback with an empty message object.
  const reportTimerError = (err: unknown) => ctx.error(err, { _msgid: generateId() });
  const wrapCallback = (fn: unknown, args: unknown[]) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    return () => {
      guard.enter();
      try {
        (fn as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        reportTimerError(err);
      }
    };
  };
  const asTimer = (t: unknown) => (t !== null && typeof t === 'object' ? (t as NodeJS.Timeout) : undefined);
  // Timers that fired while the runtime was past its high-water mark wait for it to drain: a
  // function that sends in a loop and awaits a timer between rounds (the usual generator) is
  // slowed to what the flow can take, instead of queueing without bound.
  const held = new Set<NodeJS.Timeout>();
  closeListeners.push(() => held.clear());
  const sandboxSetTimeout = (fn: unknown, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const run = wrapCallback(fn, args);
    const handle = ctx.timers.setTimeout(
      () => {
        if (!ctx.flowControl.paused) return run();
        held.add(handle);
        void ctx.flowControl.ready().then(() => {
          if (held.delete(handle)) run();
        });
      },
      Number(ms) || 0,
    );
    return handle;
  };
  Object.defineProperty(sandboxSetTimeout, util.promisify.custom, {
    value: (ms?: number, value?: unknown) => new Promise((resolve) => sandboxSetTimeout(() => resolve(value), ms)),
  });
  const timers = {
    setTimeout: sandboxSetTimeout,
    clearTimeout: (t: unknown) => {
      const timer = asTimer(t);
      if (timer) held.delete(timer);
      ctx.timers.clearTimeout(timer);
    },
    setInterval: (fn: unknown, ms?: number, ...args: unknown[]) =>
      ctx.timers.setInterval(wrapCallback(fn, args), Number(ms) || 0),
    clearInterval: (t: unknown) => ctx.timers.clearInterval(asTimer(t)),
  };

  const nodeApi = {
    id: ctx.id,
    name: ctx.name,
    path: `${ctx.z}/${ctx.id}`,
    outputCount: outputs,
    log: (m: unknown) => ctx.log(text(m)),
    warn: (m: unknown) => ctx.warn(text(m)),
    debug: (m: unknown) => ctx.debug(text(m)),
    trace: (m: unknown) => ctx.debug(text(m)),
    error: (err: unknown, msg?: Msg) => ctx.error(err, msg),
    status: (s: unknown) => {
      statusSet = true;
      ctx.status(toStatus(s));
    },
    on: (event: unknown, listener: unknown) => {
      if (event === 'input') throw new Error("Cannot add listener to 'input' event within Function");
      if (event === 'close' && typeof listener === 'function') closeListeners.push(listener as CloseListener);
    },
    send: (send: Send, msgid: string | undefined, msgs: unknown, cloneMsg?: boolean) =>
      sendResults((err) => ctx.error(err), send, msgid, msgs, cloneMsg !== false),
  };

  const red = {
    util: {
      cloneMessage,
      generateId,
      getMessageProperty: nrUtil.getMessageProperty,
      setMessageProperty: nrUtil.setMessageProperty,
      getObjectProperty: nrUtil.getObjectProperty,
      setObjectProperty: nrUtil.setObjectProperty,
      normalisePropertyExpression: nrUtil.normalisePropertyExpression,
      parseContextStore: nrUtil.parseContextStore,
      compareObjects: nrUtil.compareObjects,
      ensureString: nrUtil.ensureString,
      ensureBuffer: nrUtil.ensureBuffer,
      encodeObject: nrUtil.encodeObject,
      evaluateNodeProperty: (
        value: unknown,
        type: string,
        _node: unknown,
        msg: object | null,
        cb?: (err: Error | null, r?: unknown) => void,
      ) => nrUtil.evaluateNodeProperty(value, type, shim, msg, cb),
      prepareJSONataExpression: (expr: string) => nrUtil.prepareJSONataExpression(expr, shim),
      evaluateJSONataExpression: nrUtil.evaluateJSONataExpression,
      getSetting: (_node: unknown, name: string) => ctx.env.get(name),
    },
  };

  const contextApi = {
    ...scopeProxy(() => ctx.context().node),
    get flow() {
      return ctx.context().flow;
    },
    get global() {
      return ctx.context().global;
    },
  };
  const values: Record<string, unknown> = {
    __node__: nodeApi,
    RED: red,
    context: contextApi,
    flow: scopeProxy(() => ctx.context().flow),
    global: scopeProxy(() => ctx.context().global),
    env: { get: (name: string) => ctx.env.get(name) },
    Buffer,
    console,
    util,
    promisify: util.promisify,
    ...timers,
    Date,
    URL,
    URLSearchParams,
  };

  const sandbox = vm.createContext({ ...values });
  const builtins = vm.runInContext(`({${BUILTINS.join(',')}})`, sandbox) as Record<string, unknown>;
  const counter = vm.runInContext(
    '(function(check){var left=64;return {g:function(){if(--left<=0)left=check();},set:function(n){left=n;}};})',
    sandbox,
  ) as (check: () => number) => { g: () => void; set: (n: number) => void };
  const { g, set } = counter(guard.check);
  guard.bind(set);
  const args = PARAMS.map((p) => (p === '__gf$g' ? g : p === '__gf$b' ? builtins : values[p]));

  return {
    compile<F>(kind: CodeKind, code: string): CompiledCode<F> {
      const inst = instrument(code, kind);
      columnMaps.set(kind, inst.originalColumn);
      const sig = SIGNATURE[kind];
      const usesNode = /\bnode\b/.test(code);
      const nodeDecl = kind === 'body' && !usesNode ? 'var __msgid__=msg._msgid;' : sig.node;
      const source =
        `(function(${PARAMS.join(',')}){var {${BUILTINS.join(',')}}=__gf$b;var undefined=void 0,NaN=0/0,Infinity=1/0;` +
        `return ${inst.usesAwait ? 'async ' : ''}function(${sig.args}){${nodeDecl}\n${inst.code}\n};})`;
      let factory: (...a: unknown[]) => F;
      try {
        factory = new vm.Script(source, { filename: filenames[kind] }).runInContext(sandbox) as typeof factory;
      } catch (err) {
        const e = err as { message?: string; stack?: string };
        const m = new RegExp(`${escapeRe(filenames[kind])}:(\\d+)`).exec(e.stack ?? '');
        throw new Error(`${kind} code: ${e.message ?? String(err)}${m ? ` (line ${Number(m[1]) - 1})` : ''}`);
      }
      return { fn: factory(...args), usesAwait: inst.usesAwait, callsNodeDone: inst.callsNodeDone };
    },
    locate,
    closeListeners,
    get statusSet() {
      return statusSet;
    },
  };
}
