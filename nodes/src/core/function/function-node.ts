import { z } from 'zod';
import { defineNode, type Done, type Msg, type Send } from '@gridflow/runtime';
import { numberish, stringish } from '../../shared/typed-value.js';
import { bodyFailure } from './function-errors.js';
import { syntaxProblem, type CodeKind } from './instrument.js';
import { createSandbox, type CloseListener } from './sandbox.js';
import { sendResults } from './send-results.js';
import { createTimeGuard } from './time-guard.js';

const code = (kind: CodeKind, fallback: string) =>
  stringish(fallback).superRefine((text, c) => {
    const problem = text.trim() ? syntaxProblem(text, kind) : undefined;
    if (problem) c.addIssue({ code: 'custom', message: problem });
  });

// Built when a flow first has a function node (see defineNode): most agents run none.
const configSchema = () =>
  z.object({
    name: stringish(),
    func: code('body', '\nreturn msg;'),
    outputs: numberish(1).pipe(z.number().int().min(0).max(1000)),
    /** Seconds; 0 uses the runtime's functionTimeoutMs. */
    timeout: numberish(0).pipe(z.number().min(0)),
    /** The editor's count of lint errors; informational, as in Node-RED. */
    noerr: numberish(0),
    initialize: code('setup', ''),
    finalize: code('cleanup', ''),
    libs: z
      .array(z.object({ var: z.string().optional(), module: z.string().optional() }).passthrough())
      .default([])
      .refine((libs) => libs.length === 0, {
        message: 'external modules (libs) are not supported by Gridflow function nodes; use global context values instead',
      }),
  });

type Body = (msg: Msg, send: Send, done: Done) => unknown;
type Setup = (send: Send) => Promise<unknown>;
type Cleanup = () => unknown;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';

function runCloseListener(listener: CloseListener, removed: boolean): Promise<unknown> {
  if (listener.length >= 2) return new Promise((resolve) => (listener as (r: boolean, d: () => void) => unknown)(removed, () => resolve(undefined)));
  if (listener.length === 1) return new Promise((resolve) => (listener as (d: () => void) => unknown)(() => resolve(undefined)));
  return Promise.resolve((listener as () => unknown)());
}

export const functionNode = defineNode({
  type: 'function',
  category: 'core',
  keepsEmptyName: true,
  inputs: 1,
  outputs: (raw) => {
    const n = Number(raw['outputs'] ?? 1);
    return Number.isInteger(n) && n >= 0 ? n : 1;
  },
  config: configSchema,
  label: 'function',
  icon: 'function.svg',
  color: '#fdd0a2',
  help: [
    'A JavaScript function to run against the messages received by the node.',
    '',
    'The message arrives as `msg`; return it (or a new object) to send it on, `null` to stop it, an array with one entry per output for several outputs, and an array inside an entry to send several messages from one output. `node.send()` sends asynchronously; the body may use `await`.',
    '',
    '**Available:** `node` (id, name, send, done, status, warn, error, log, on("close")), `context`, `flow`, `global`, `env.get()`, `RED.util`, `Buffer`, `console`, `setTimeout`/`setInterval` (cleared when the node stops).',
    '',
    '**Setup** code runs once when the node starts, **Close** code when it stops.',
    '',
    'Code that runs longer than the time limit (runtime setting `functionTimeoutMs`, or this node\'s *timeout* in seconds) is stopped with an error that catch nodes receive; the node keeps working.',
  ].join('\n'),
  create(ctx, config) {
    const limitMs = config.timeout > 0 ? config.timeout * 1000 : ctx.settings.functionTimeoutMs;
    const guard = createTimeGuard(ctx.id, limitMs);
    const sandbox = createSandbox({ ctx, guard, outputs: config.outputs });
    const body = sandbox.compile<Body>('body', config.func);
    // Called as a plain function, not as `body.fn(...)`, so that its stack frame reads
    // "at function:<id>:L:C" as Node-RED's does, which is where error positions are read from.
    const bodyFn = body.fn;
    const setup = config.initialize.trim() ? sandbox.compile<Setup>('setup', config.initialize) : undefined;
    const cleanup = config.finalize.trim() ? sandbox.compile<Cleanup>('cleanup', config.finalize) : undefined;
    const autoDone = !body.callsNodeDone;
    const locateBody = sandbox.locate('body');
    const fail = (msg: Msg, done: Done, err: unknown) => done(bodyFailure(msg, err, locateBody));
    const report = (err: Error) => ctx.error(err);

    const run = (msg: Msg, send: Send, done: Done): void => {
      guard.enter();
      let result: unknown;
      try {
        result = bodyFn(msg, send, done);
      } catch (err) {
        return fail(msg, done, err);
      }
      if (isThenable(result)) {
        result.then(
          (value) => {
            sendResults(report, send, msg._msgid, value, false);
            if (autoDone) done();
          },
          (err: unknown) => fail(msg, done, err),
        );
        return;
      }
      sendResults(report, send, msg._msgid, result, false);
      if (autoDone) done();
    };

    // Messages that arrive while the setup code is still running wait for it, as in Node-RED.
    let state: 'starting' | 'ready' | 'failed' = setup ? 'starting' : 'ready';
    let waiting: [Msg, Send, Done][] = [];
    if (setup) {
      Promise.resolve()
        .then(() => {
          guard.enter();
          return setup.fn(ctx.send);
        })
        .then(
          () => {
            state = 'ready';
            const queued = waiting;
            waiting = [];
            for (const [m, s, d] of queued) run(m, s, d);
          },
          (err: unknown) => {
            // Node-RED logs the setup error once; the node then drops every message, unanswered.
            state = 'failed';
            waiting = [];
            ctx.error(err);
          },
        );
    }

    return {
      input(msg, send, done) {
        if (state === 'ready') return run(msg, send, done);
        if (state === 'starting') waiting.push([msg, send, done]);
      },
      async close(removed) {
        if (cleanup) {
          guard.enter();
          try {
            const r = cleanup.fn();
            if (isThenable(r)) await r;
          } catch (err) {
            ctx.error(err);
          }
        }
        for (const listener of sandbox.closeListeners) {
          try {
            await runCloseListener(listener, removed);
          } catch (err) {
            ctx.error(err);
          }
        }
        if (sandbox.statusSet) ctx.status({});
      },
    };
  },
});
